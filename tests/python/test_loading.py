"""Finding libsheaf.so and refusing a library of another version."""

import os
import shutil
import subprocess
import sys

import sheaf
from sheaf import _lib

PACKAGE = os.path.dirname(os.path.abspath(sheaf.__file__))


def import_sheaf(pythonpath, library):
    env = dict(os.environ, PYTHONPATH=str(pythonpath), SHEAF_LIBRARY=str(library))
    return subprocess.run([sys.executable, "-c", "import sheaf; print(sheaf.__version__)"],
                          env=env, capture_output=True, text=True)


def test_sheaf_library_variable_is_honoured():
    assert os.path.samefile(_lib.path, os.environ.get("SHEAF_LIBRARY", _lib.path))


def test_a_library_of_another_version_is_an_import_error_naming_both(tmp_path):
    copy = tmp_path / "sheaf"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    init = copy / "__init__.py"
    init.write_text(init.read_text().replace('__version__ = "0.1.0"', '__version__ = "9.9.9"'))
    done = import_sheaf(tmp_path, _lib.path)
    assert done.returncode != 0
    assert "ImportError" in done.stderr and "9.9.9" in done.stderr and "0.1.0" in done.stderr


def test_a_missing_library_is_an_import_error_naming_the_path(tmp_path):
    done = import_sheaf(os.path.dirname(PACKAGE), tmp_path / "nowhere" / "libsheaf.so")
    assert done.returncode != 0
    assert "ImportError" in done.stderr and "nowhere" in done.stderr
