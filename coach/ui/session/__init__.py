"""A session on screen: the flow from Start to Well done, the player, the safety dialogs (health
profile, warning-sign check, pain) and the player's sound and voice.
"""
