// Writing a snapshot's sections: arrays padded to 8 bytes, handed on a megabyte at a
// time, every byte checksummed; large sections written and checksummed on two cores.
import Foundation

extension Snapshot {
    /// One large section written and checksummed at once; each half touched by one thread.
    final class SectionJob: @unchecked Sendable {
        let sink: (UnsafeRawBufferPointer) throws -> Void
        let raw: UnsafeRawBufferPointer
        var checksum: UnsafeMutablePointer<BlockChecksum>?
        var failure: Error?
        init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void, raw: UnsafeRawBufferPointer) {
            self.sink = sink
            self.raw = raw
        }
        func run(_ part: Int) {
            if part == 0 {
                checksum!.pointee.update(raw)
            } else {
                do { try sink(raw) } catch { failure = error }
            }
        }
    }

    /// Encodes into a buffer that is handed to `sink` a megabyte at a time (large arrays
    /// directly), checksumming everything; `finish` appends the checksum. Every array is
    /// padded to a multiple of 8 bytes, so each section starts aligned and can be used in
    /// place once the file is mapped.
    struct Writer {
        let sink: (UnsafeRawBufferPointer) throws -> Void
        var buffer: [UInt8] = []
        var checksum = BlockChecksum()
        var position = 0

        init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
            self.sink = sink
            buffer.reserveCapacity(1 << 20)
        }

        mutating func emit(_ raw: UnsafeRawBufferPointer) throws {
            position += raw.count
            if raw.count >= 8 << 20 {
                // A large column: checksummed on one core while the other copies it to
                // the file (each about a second for a million articles' bodies).
                try flush()
                let job = SectionJob(sink: sink, raw: raw)
                withUnsafeMutablePointer(to: &checksum) { sum in
                    job.checksum = sum
                    DispatchQueue.concurrentPerform(iterations: 2) { job.run($0) }
                }
                if let e = job.failure { throw e }
                return
            }
            checksum.update(raw)
            if raw.count >= 1 << 16 {
                try flush()
                try sink(raw)
            } else {
                buffer.append(contentsOf: raw)
                if buffer.count >= 1 << 20 { try flush() }
            }
        }
        mutating func flush() throws {
            if buffer.isEmpty { return }
            try buffer.withUnsafeBytes { try sink($0) }
            buffer.removeAll(keepingCapacity: true)
        }
        mutating func finish() throws {
            var sum = checksum.finish().littleEndian
            try flush()
            try withUnsafeBytes(of: &sum) { try sink($0) }
        }
        mutating func pad() throws {
            let zeros = [UInt8](repeating: 0, count: (8 - position % 8) % 8)
            try zeros.withUnsafeBytes { try emit($0) }
        }
        mutating func header() throws {
            try magic.withUnsafeBytes { try emit($0) }
            try u32(version)
            try u32(0)
        }
        mutating func u32(_ v: UInt32) throws {
            var x = v.littleEndian
            try withUnsafeBytes(of: &x) { try emit($0) }
        }
        mutating func u64(_ v: UInt64) throws {
            var x = v.littleEndian
            try withUnsafeBytes(of: &x) { try emit($0) }
        }
        mutating func i64(_ v: Int64) throws { try u64(UInt64(bitPattern: v)) }
        mutating func array<C: Collection>(_ a: C) throws where C.Element: BitwiseCopyable {
            try u64(UInt64(a.count))
            let done: Void? = try a.withContiguousStorageIfAvailable { try emit(UnsafeRawBufferPointer($0)) }
            if done == nil { try Array(a).withUnsafeBytes { try emit($0) } }
            try pad()
        }
        mutating func string(_ s: String) throws { try array(Array(s.utf8)) }
        mutating func stringArray(_ a: [String]) throws {
            try u64(UInt64(a.count))
            for s in a { try string(s) }
        }
        mutating func strings(_ c: StringColumn) throws {
            try array(c.heap)
            try array(c.offsets)
        }
        mutating func dict(_ c: DictionaryColumn) throws {
            try strings(c.values)
            try array(c.codes)
            try array(c.narrowCodes)
        }
        mutating func dictList(_ c: DictionaryListColumn) throws {
            try dict(c.values)
            try array(c.offsets)
        }
        mutating func index(_ i: KeywordIndex) throws {
            try u64(UInt64(i.rows))
            try array(i.keys)
            try array(i.starts)
            try array(i.counts)
            try array(i.bytes)
            try array(i.kinds)
            try array(i.foldKinds)
        }
    }

    /// Reads sections out of a mapped region. Arrays come back as views of the region
    /// (checked for length and alignment first); small values are copied out.
}
