"""Offline stand-in for ansible-test's get-pip bootstrap script.

ansible-test downloads get-pip from a host this network cannot reach; the Makefile seeds its cache
with this file instead. It takes the same arguments (pip install arguments) and uses the interpreter's
own ensurepip, then pip, to install what was asked.
"""
import subprocess
import sys

IGNORED = {"--no-setuptools", "--no-wheel"}  # get-pip options that pip install does not know

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install"] + [a for a in sys.argv[1:] if a not in IGNORED])
