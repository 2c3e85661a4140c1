"""bertgui: continued pre-training (MLM + NSP) of BERT models, headless core plus a Qt window."""

__version__ = "0.1.0"
