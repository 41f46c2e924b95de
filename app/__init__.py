"""The web layer (Flask pages and JSON API) over the index; it arrives with the web-app issue."""
