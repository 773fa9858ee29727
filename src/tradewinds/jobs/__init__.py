"""The task queue's set-up (huey): the queue itself (``queue.py``) and the workers that
run it, in the web server or as ``tradewinds worker`` (``worker.py``). Tasks are declared
by each package's ``plugin.py`` (``tradewinds/tasks.py``), never here."""
