// Drives the real binary in a pseudo-terminal, as a person at a keyboard would: the
// child gets its own session with the pty as controlling terminal, so Ctrl-C (\u{03})
// raises SIGINT through the line discipline, as it does for a user.
import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class PseudoTerminal {
    let master: Int32
    let pid: pid_t
    private(set) var output = ""
    private var consumed = 0

    init(_ args: [String], environment: [String: String], columns: Int = 120) throws {
        // The Linux pty multiplexer: unlock the slave (TIOCSPTLCK) and ask its number
        // (TIOCGPTN). posix_openpt and friends are hidden from Swift's Glibc module.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            throw NSError(domain: "pty", code: Int(errno))
        }
        let slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: 40, ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        let slave = open(slavePath, O_RDWR | O_NOCTTY)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
        close(slave)

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        // POSIX_SPAWN_SETSID (glibc, 0x80): a new session, whose first terminal opened
        // below becomes its controlling terminal.
        posix_spawnattr_setflags(&attr, Int16(0x80))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        let argv = ([Binary.path.path] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        var child: pid_t = 0
        let rc = posix_spawn(&child, Binary.path.path, &actions, &attr, argv, envp)
        for p in argv { free(p) }
        for p in envp { free(p) }
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attr)
        guard rc == 0 else { throw NSError(domain: "spawn", code: Int(rc)) }
        pid = child
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, WNOHANG)
        close(master)
    }

    /// Sends keys once the program has settled at its prompt: libedit switches the terminal
    /// mode when it starts reading a line, and keys typed in that instant can be flushed.
    func type(_ text: String) {
        usleep(150_000)
        send(text)
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads until `needle` appears in the output not yet consumed; returns the text up to
    /// and including it, or nil after `timeout` seconds.
    @discardableResult
    func expect(_ needle: String, timeout: Double = 15) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let pending = String(output.dropFirst(consumed))
            if let r = pending.range(of: needle) {
                let taken = String(pending[..<r.upperBound])
                consumed += taken.count
                return taken
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return nil }
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, Int32(min(left, 0.2) * 1000)) > 0 {
                var buf = [UInt8](repeating: 0, count: 65536)
                let n = read(master, &buf, buf.count)
                if n <= 0 {
                    if Date() >= deadline { return nil }
                    usleep(10_000)
                    continue
                }
                output += String(decoding: buf[..<n], as: UTF8.self)
            }
        }
    }

    /// Waits for the child to exit; its status, or nil if it did not exit in time.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            // Keep draining, so the child never blocks on a full pty.
            var buf = [UInt8](repeating: 0, count: 65536)
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) > 0 {
                let n = read(master, &buf, buf.count)
                if n > 0 { output += String(decoding: buf[..<n], as: UTF8.self) }
            }
        }
        return nil
    }
}
