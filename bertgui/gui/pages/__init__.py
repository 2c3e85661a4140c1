"""One module per step of the flow; each page renders the session and forwards the person's choices."""
