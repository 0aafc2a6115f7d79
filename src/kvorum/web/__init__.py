"""The worker and requester web pages: server-rendered HTML, our own small JS and CSS."""
