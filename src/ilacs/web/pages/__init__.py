"""Each dashboard page as a data function: a request's parameters and a snapshot in, a typed
page out. The HTML template and the JSON twin both render that one value."""
