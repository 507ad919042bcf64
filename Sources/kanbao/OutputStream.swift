import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Buffered stdout that turns a closed pipe (`kanbao … | head -1`) into a quiet exit.
final class OutputStream {
    nonisolated(unsafe) static let standardOutput = OutputStream(fd: 1)
    private let fd: Int32
    private var buffer: [UInt8] = []

    /// A file for `.output`, created (or truncated) for writing.
    convenience init?(path: String) {
        // O_NOFOLLOW: a symlink planted at the path is refused, never written through.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return nil }
        self.init(fd: fd)
    }

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Drops buffered bytes and closes a file stream (after a failed write).
    func discard() {
        buffer.removeAll()
        if fd > 2 { close(fd) }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { exit(0) } // the reader has gone: end quietly, as `| head` expects
                throw OutputError(message: String(cString: strerror(errno)))
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

struct OutputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
