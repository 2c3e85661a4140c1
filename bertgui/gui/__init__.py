"""The Qt window. The only package of bertgui that imports Qt; it drives the headless core."""
