"""One submission: runner, pytest plugin, checks toolkit, problems, results, proxies."""
