"""HTML pages of Youthpass, one module per resource (urls.py imports them). Views parse input, call one service or
selector and render; forms work without JavaScript."""
