// A snapshot on disk: written to a temporary file beside the target, synced and renamed
// over it (a crash leaves the old file whole); read by mapping it.
import Foundation

extension Snapshot {
    /// Writes to `path` through a temporary file in the same folder, renamed into place
    /// only when complete: a failed or interrupted write leaves no partial snapshot.
    public static func write(_ s: Store, to path: String, shouldStop: @escaping () -> Bool = { false }) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SnapshotError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
        func fail(_ why: String) -> SnapshotError {
            close(fd)
            unlink(tmp)
            return SnapshotError.io("cannot write \(path): \(why)")
        }
        // Sections go straight to the file as they are encoded: no second copy of the store.
        var w = Writer { chunk in
            if shouldStop() { throw SnapshotError.io("interrupted") }
            var off = 0
            while off < chunk.count {
                let n = Foundation.write(fd, chunk.baseAddress! + off, min(chunk.count - off, 1 << 30))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SnapshotError.io(String(cString: strerror(errno)))
                }
                off += n
            }
        }
        do {
            try Trace.phase("index: encode and write") {
                try encode(s, &w)
                try w.finish()
            }
        } catch let e as SnapshotError {
            if case .io(let why) = e { throw fail(why) }
            throw fail("\(e)")
        }
        if Trace.phase("index: fsync", { fsync(fd) }) != 0 { throw fail(String(cString: strerror(errno))) }
        if close(fd) != 0 {
            unlink(tmp)
            throw SnapshotError.io("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK {
            unlink(tmp)
            throw SnapshotError.io("cannot write \(path): it is a symbolic link (refusing to replace it)")
        }
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw SnapshotError.io("cannot write \(path): \(why)")
        }
    }

    // MARK: reading

    /// Maps the file and reads the store straight out of the mapping: the big columns
    /// (bodies, postings, numbers) become views of the mapped pages, not copies, so a
    /// snapshot loads in the time it takes to checksum it. The checksum is computed on
    /// all cores before anything is parsed.
    public static func read(path: String) throws -> Store {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SnapshotError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SnapshotError.io("cannot read \(path)") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw SnapshotError.io("cannot read \(path): not a regular file")
        }
        let size = Int(st.st_size)
        guard size >= headerSize + 8 else { throw SnapshotError.notASnapshot(path) }
        guard let region = MappedRegion(fd: fd, size: size) else {
            throw SnapshotError.io("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        region.adviseSequential()
        return try decode(region, name: path)
    }
}
