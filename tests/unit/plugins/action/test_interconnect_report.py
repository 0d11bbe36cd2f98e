"""The report writer's file handling (the action itself runs in the end-to-end tests' reports)."""
import os
import stat
from unittest import mock

from ansible_collections.crosscloud.interconnect.plugins.action.interconnect_report import (
    ActionModule,
    current_content,
    write_atomically,
)


def test_a_report_is_written_with_its_directories_and_mode(tmp_path):
    path = tmp_path / "reports" / "nested" / "tokyo.md"
    write_atomically(str(path), "# tokyo\n", 0o640)
    assert path.read_text() == "# tokyo\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.listdir(path.parent) == ["tokyo.md"], "no temporary file stays behind"


def test_a_report_replaces_the_previous_one_whole(tmp_path):
    path = tmp_path / "tokyo.md"
    path.write_text("old and longer report\n")
    inode = os.stat(path).st_ino
    write_atomically(str(path), "new\n", 0o644)
    assert path.read_text() == "new\n"
    assert os.stat(path).st_ino != inode, "a new file renamed over the old one, never rewritten in place"


def test_current_content_of_a_missing_or_unreadable_report_is_none(tmp_path):
    assert current_content(str(tmp_path / "missing.md")) is None
    assert current_content(str(tmp_path)) is None
    (tmp_path / "binary.md").write_bytes(b"\xff\xfe")
    assert current_content(str(tmp_path / "binary.md")) is None
    (tmp_path / "text.md").write_text("same\n")
    assert current_content(str(tmp_path / "text.md")) == "same\n"


def run_report(check_mode=False, **args):
    """The action as Ansible runs it for a task with these arguments."""
    task = mock.MagicMock(args=args, async_val=0, check_mode=check_mode)
    action = ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None)
    return action.run(task_vars={})


def test_a_report_of_the_same_content_gets_the_mode_asked_for(tmp_path):
    path = tmp_path / "tokyo.md"
    path.write_text("same\n")
    os.chmod(path, 0o600)
    assert run_report(path=str(path), content="same\n", mode="0600")["changed"] is False
    assert run_report(check_mode=True, path=str(path), content="same\n", mode="0640")["changed"] is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, "check mode changes nothing"
    assert run_report(path=str(path), content="same\n", mode="0640")["changed"] is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert run_report(path=str(path), content="same\n", mode="0640")["changed"] is False
