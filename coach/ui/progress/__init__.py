"""My progress, the measures and other activity."""
