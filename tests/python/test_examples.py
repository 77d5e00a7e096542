"""The examples the README shows run, and the README shows them verbatim."""

import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir)


def readme_block(name):
    text = open(os.path.join(ROOT, "README.md")).read()
    match = re.search(r"<!-- example:%s -->\n```\w*\n(.*?)```\n" % re.escape(name), text, re.S)
    assert match, "README.md has no block for %s" % name
    return match.group(1)


def test_readme_shows_the_metrics_example_verbatim():
    with open(os.path.join(ROOT, "examples", "metrics_to_design.py")) as f:
        assert readme_block("metrics_to_design.py") == f.read()


def test_metrics_example_assembles_a_design_matrix():
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    done = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "metrics_to_design.py")],
                          capture_output=True, text=True, env=env, check=True)
    lines = done.stdout.splitlines()
    assert lines[0] == "(357, 9) (357,)"
    assert lines[1].startswith("['free', 'total', 'active', 'cached', 'used_lag1'")
