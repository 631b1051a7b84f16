"""The exercise illustrations: pose data, SVG output and the committed files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coach.core.content import figures
from coach.core.content.figures.body import build, interpolate
from coach.core.content.figures.render import HEIGHT, WIDTH, _compose, layout

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets" / "figures"
SVG_NS = "{http://www.w3.org/2000/svg}"

EXPECTED = (
    [f"P{i}" for i in range(1, 5)]
    + [f"S{i}" for i in range(1, 11)]
    + [f"T{i}" for i in range(1, 9)]
    + [f"C{i}" for i in range(1, 8)]
    + [f"B{i}" for i in range(1, 5)]
    + [f"A{i}" for i in range(1, 5)]
    + ["R1", "R2", "U1", "X1", "X2", "X3"]
)
ALL_FRAMES = [(ex, fr) for ex in EXPECTED for fr in figures.frames(ex)]


def test_every_exercise_has_start_and_end() -> None:
    assert figures.exercise_ids() == EXPECTED
    for ex in EXPECTED:
        assert figures.frames(ex)[:2] == ["start", "end"]
        assert isinstance(figures.pose(ex, "start"), figures.Pose)
        assert isinstance(figures.pose(ex, "end"), figures.Pose)
        assert figures.pose(ex, "start") != figures.pose(ex, "end") or ex == "T1"


@pytest.mark.parametrize("ex", ["P2", "T3", "T8"])
def test_avoid_frames_exist(ex: str) -> None:
    assert "avoid" in figures.frames(ex)
    assert figures.pose(ex, "avoid") != figures.pose(ex, "end")


def test_avoid_frame_is_marked_with_a_cross_by_default() -> None:
    text = figures.svg("T3", "avoid")
    assert "#d9481c" in text  # the avoid colour...
    # ...always with a shape: the two strokes of the cross in the badge
    plain = figures.svg("T3", "avoid", back="none")
    assert "#d9481c" not in plain


def test_unknown_ids_and_frames_are_errors() -> None:
    with pytest.raises(KeyError):
        figures.pose("Z9", "start")
    with pytest.raises(ValueError):
        figures.pose("P1", "middle")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        figures.pose("P1", "avoid")


def _parse(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    return root


@pytest.mark.parametrize(("ex", "fr"), ALL_FRAMES)
def test_svg_is_well_formed_without_text(ex: str, fr: figures.Frame) -> None:
    root = _parse(figures.svg(ex, fr))
    tags = {el.tag.removeprefix(SVG_NS) for el in root.iter()}
    assert "text" not in tags
    assert tags <= {"svg", "path", "circle", "rect", "g"}


@pytest.mark.parametrize(("ex", "fr"), ALL_FRAMES)
def test_picture_stays_inside_the_view_box(ex: str, fr: figures.Frame) -> None:
    sc = figures.scene(ex)
    pen = _compose(sc, sc.frame(fr), layout(sc), sc.mark(fr), fr == "end", 0)
    x0, y0, x1, y1 = pen.box
    assert x0 >= -0.5 and y0 >= -0.5 and x1 <= WIDTH + 0.5 and y1 <= HEIGHT + 0.5, pen.box


@pytest.mark.parametrize("ex", EXPECTED)
def test_interpolation_runs_from_start_to_end(ex: str) -> None:
    start, end = figures.pose(ex, "start"), figures.pose(ex, "end")
    assert interpolate(start, end, 0.0) == start
    assert interpolate(start, end, 1.0) == end
    # t = 0 draws exactly the start picture; the end picture adds the arrow
    assert figures.svg(ex, t=0.0) == figures.svg(ex, "start")
    for t in (0.25, 0.5, 0.75):
        _parse(figures.svg(ex, t=t))


def test_interpolation_keeps_a_planted_foot_in_place() -> None:
    start, end = figures.pose("T6", "start"), figures.pose("T6", "end")
    a = build(start).joints["near_ankle"]
    mid = build(interpolate(start, end, 0.5)).joints["near_ankle"]
    assert max(abs(p - q) for p, q in zip(a, mid, strict=True)) < 0.5


def test_mirror_flips_horizontally() -> None:
    plain = figures.svg("S1", "end")
    mirrored = figures.svg("S1", "end", mirror=True)
    assert mirrored != plain
    root = _parse(mirrored)
    groups = [el for el in root if el.tag == f"{SVG_NS}g"]
    assert len(groups) == 1
    assert groups[0].get("transform") == f"matrix(-1 0 0 1 {WIDTH} 0)"
    inner = plain.split("\n", 1)[1].rsplit("</svg>", 1)[0].strip()
    assert inner in mirrored


def test_back_marks() -> None:
    good = figures.svg("P1", "end")
    assert "#168f7d" in good  # P1's end pose shows the flat back as good
    assert "#168f7d" not in figures.svg("P1", "start")
    assert "#168f7d" in figures.svg("S4", "end", back="good")
    assert "#d9481c" in figures.svg("X2", "end", back="avoid")
    with pytest.raises(ValueError):
        figures.svg("P1", "end", back="red")  # type: ignore[arg-type]


def test_end_pose_has_an_arrow() -> None:
    for ex in EXPECTED:
        has_arrow = "#3f5f86" in figures.svg(ex, "end")
        assert has_arrow, f"{ex} end has no movement arrow"
        assert "#3f5f86" not in figures.svg(ex, "start")


def test_lower_back_shape_differs_between_flat_and_arched() -> None:
    assert figures.pose("P2", "start").lumbar < figures.pose("P2", "end").lumbar
    assert figures.pose("T3", "avoid").lumbar < 0 < figures.pose("T3", "end").lumbar


def test_numbers_are_stable() -> None:
    text = figures.svg("A1", "end")
    assert text == figures.svg("A1", "end")
    assert not re.search(r"\d\.\d{2,}", text), "numbers are written with one decimal"
    assert "-0 " not in text and '-0"' not in text


def test_render_all_writes_every_frame(tmp_path: Path) -> None:
    paths = figures.render_all(tmp_path)
    names = sorted(p.name for p in paths)
    assert names == sorted(f"{ex}-{fr}.svg" for ex, fr in ALL_FRAMES)
    assert figures.render_all(tmp_path) == paths  # deterministic, same order


def test_committed_svgs_match_the_poses(tmp_path: Path) -> None:
    """The files in assets/figures are what the pose model draws now.

    Regenerate them with ``python -m coach.core.content.figures`` after changing a pose.
    """
    fresh = {p.name: p.read_bytes() for p in figures.render_all(tmp_path)}
    committed = {p.name: p.read_bytes() for p in ASSETS.glob("*.svg")}
    assert sorted(committed) == sorted(fresh), "missing or stale files in assets/figures"
    stale = sorted(name for name in fresh if committed[name] != fresh[name])
    assert not stale, f"out of date, run python -m coach.core.content.figures: {stale}"


def test_bend_towards_reaches_the_target_with_the_elbow_out() -> None:
    from coach.core.content.figures.body import bend_towards

    pose = figures.pose("S1", "start")
    target = (-30.0, 70.0, 20.0)
    bent = bend_towards(pose, "near_arm", target, (0.0, 1.0, 1.0))
    body = build(bent)
    assert max(abs(p - q) for p, q in zip(body.joints["near_wrist"], target, strict=True)) < 0.5
    shoulder, elbow = body.joints["near_shoulder"], body.joints["near_elbow"]
    straight_y = shoulder[1] + (target[1] - shoulder[1]) * 0.55
    assert elbow[1] > straight_y  # the elbow bends up, to the pole side


def test_gap_under_the_lower_back_shows_only_while_it_is_hollow() -> None:
    from coach.core.content.figures.render import GAP

    assert GAP in figures.svg("P1", "start")
    assert GAP not in figures.svg("P1", "end")


def test_bridge_too_high_lifts_the_hips_above_the_shoulder_knee_line() -> None:
    from coach.core.content.figures.poses_strengthening import above_line

    assert abs(above_line(figures.pose("T3", "end"))) < 3.0
    assert above_line(figures.pose("T3", "avoid")) > 10.0


def test_clamshell_opens_with_the_feet_together() -> None:
    start, end = figures.pose("T4", "start"), figures.pose("T4", "end")
    knees = [build(interpolate(start, end, t)).joints["far_knee"][1] for t in (0, 0.5, 1)]
    ankles = [build(interpolate(start, end, t)).joints["far_ankle"] for t in (0, 0.5, 1)]
    assert knees[0] + 20.0 < knees[1] < knees[2]  # the top knee rises all the way
    assert max(abs(a - b) for a, b in zip(ankles[0], ankles[2], strict=True)) < 0.5
    assert max(abs(a - b) for a, b in zip(ankles[0], ankles[1], strict=True)) < 0.5


def test_relaxation_tenses_hands_and_shoulders() -> None:
    start, end = figures.pose("R2", "start"), figures.pose("R2", "end")
    assert (start.fist, start.shrug) == (0.0, 0.0)
    assert (end.fist, end.shrug) == (1.0, 1.0)
    assert end.near_leg.tip > start.near_leg.tip  # feet pulled up
