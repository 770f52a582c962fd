"""Drives the micromodels-java kernel with a real Jupyter client (jupyter_client) and prints what it observed as JSON.

Run by KernelProtocolTest with JUPYTER_DATA_DIR pointing at a folder holding the kernelspec. Every request goes
through the Jupyter protocol (ZeroMQ, signed messages); nothing is mocked. The JSON holds the raw observations;
the Java test decides what is right.
"""
import base64
import json
import struct
import sys
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 120


def collect(kc, msg_id, timeout=TIMEOUT):
    """All iopub output of one request until the kernel is idle again, and the shell reply."""
    out = {"stdout": "", "stderr": "", "results": [], "displays": [], "errors": []}
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        t, c = msg["msg_type"], msg["content"]
        if t == "stream":
            out[c["name"]] += c["text"]
        elif t == "execute_result":
            out["results"].append(c["data"])
        elif t == "display_data":
            out["displays"].append(c["data"])
        elif t == "error":
            out["errors"].append({"ename": c["ename"], "evalue": c["evalue"], "traceback": c["traceback"]})
        elif t == "status" and c["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=max(1, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            out["status"] = reply["content"]["status"]
            if reply["content"]["status"] == "error":
                out["reply_ename"] = reply["content"].get("ename")
            return out


def shell_reply(kc, msg_id):
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def execute(kc, code):
    return collect(kc, kc.execute(code))


def png_size(data):
    raw = base64.b64decode(data)
    if raw[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return list(struct.unpack(">II", raw[16:24]))


def main():
    km = KernelManager(kernel_name="micromodels-java")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    if sys.argv[1:] == ["--orphan"]:
        # The front end dies without a shutdown request: the kernel must notice and end by itself.
        print("KERNEL_PID %d" % km.provisioner.process.pid, flush=True)
        import os
        os._exit(0)
    obs = {}
    info = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    obs["kernel_info"] = {"language": info["language_info"]["name"], "implementation": info.get("implementation")}

    obs["streams"] = execute(kc, 'int x = 20 + 22;\nSystem.out.println("x=" + x);\nSystem.err.println("careful");')
    obs["expression"] = execute(kc, "x * 2")
    obs["define_class"] = execute(kc, "record Point(int a, int b) { int sum() { return a + b; } }")
    obs["use_class"] = execute(kc, "new Point(3, 4).sum() + x")
    obs["throws"] = execute(kc, 'if (x > 0) throw new IllegalStateException("boom at " + x, new java.io.IOException("disk"));')
    obs["after_throw"] = execute(kc, "x + 1")
    obs["compile_error"] = execute(kc, "int y = undefinedThing + 1;")
    img = execute(kc, "var img = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);\nimg")
    img["png_size"] = [png_size(r["image/png"]) for r in img["results"] if "image/png" in r]
    obs["image"] = img
    obs["html"] = execute(kc, 'Display.html("<b>bold</b>");\nDisplay.table(List.of("k", "v"), List.of(List.of("a", 1.5)));')

    code = 'String s = "abc";\nimg.getWid'
    c = kc.complete(code, len(code), reply=True, timeout=TIMEOUT)["content"]
    obs["complete"] = {"status": c["status"], "matches": c["matches"], "start": c["cursor_start"], "end": c["cursor_end"]}
    code = "Math.ma"
    c = kc.complete(code, len(code), reply=True, timeout=TIMEOUT)["content"]
    obs["complete_static"] = {"matches": c["matches"], "start": c["cursor_start"]}
    obs["is_complete"] = {}
    for src in ["int z = 1;", "for (int i = 0; i < 3; i++) {", "int w = 1; int v = ", "x"]:
        obs["is_complete"][src] = shell_reply(kc, kc.is_complete(src))["status"]
    insp = kc.inspect("Math.max(1, 2)", 9, reply=True, timeout=TIMEOUT)["content"]
    obs["inspect"] = {"status": insp["status"], "found": insp["found"], "text": insp["data"].get("text/plain", "")}

    # An infinite loop that never checks its interrupt flag, then one that sleeps: both must stop.
    for name, loop in [("interrupt_spin", "long n = 0; while (true) { n++; }"),
                       ("interrupt_sleep", "while (true) { Thread.sleep(50); }")]:
        msg_id = kc.execute(loop)
        time.sleep(2)
        started = time.time()
        km.interrupt_kernel()
        r = collect(kc, msg_id, timeout=60)
        r["seconds_to_stop"] = time.time() - started
        obs[name] = r
    obs["after_interrupt"] = execute(kc, "x")

    # Restart: a new kernel process, so the state is gone, and it works.
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=TIMEOUT)
    obs["after_restart_old_variable"] = execute(kc, "x")
    obs["after_restart"] = execute(kc, "int fresh = 6 * 7;\nfresh")

    kc.shutdown()
    deadline = time.time() + 60
    while km.is_alive() and time.time() < deadline:
        time.sleep(0.2)
    obs["alive_after_shutdown"] = km.is_alive()
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)
    print("OBSERVATIONS " + json.dumps(obs))


if __name__ == "__main__":
    main()
