"""The trust boundary: worker host, bubblewrap launcher, worker, confinement, wire."""
