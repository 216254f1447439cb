"""Issue #15, UI finding 15: ``serve`` on a busy port says so in Chinese and exits non-zero.

Reproduction (became this test): ``govcounsel serve`` on a port already in use printed
"已启动" and then a traceback.
"""

from __future__ import annotations

import socket


def test_a_busy_port_is_refused_in_chinese_before_anything_starts(runner):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = runner.invoke(args=["serve", "--port", str(port)])
    assert result.exit_code != 0
    assert f"端口 {port} 已被其他程序占用" in result.output
    assert "已启动" not in result.output and "Traceback" not in result.output


def test_an_invalid_port_is_refused(runner):
    result = runner.invoke(args=["serve", "--port", "70000"])
    assert result.exit_code != 0 and "端口 70000 无效" in result.output
