// A cold text column: rows in blocks of `rowsPerBlock`, each block compressed with
// Zstandard (level 3), so that text read one row at a time and rarely — the notes `why`
// shows, the bylines — costs a tenth of its size in memory. Reading a row decompresses its block (a few
// kilobytes); the last few blocks decompressed are kept, so rows read in order (a filter's
// scan, an export) decompress each block once.
//
// A block, decompressed, is its rows' byte lengths (UInt32, little-endian) followed by their
// bytes. The column keeps the blocks' compressed bytes, where each starts, and each
// block's decompressed size.
import CZstd
import Foundation

public struct CompressedTextColumn: Sendable {
    public static let rowsPerBlock = 256
    /// Level 3: on the notes, 10× smaller at 670 MB/s, where zlib's fastest level gave
    /// 7× at 240 MB/s on blocks of 64 rows (bench/HISTORY.md).
    static let level: Int32 = 3

    /// The blocks' compressed bytes, one after the other.
    public internal(set) var bytes = ColumnBuffer<UInt8>()
    /// Block b is bytes[starts[b] ..< starts[b+1]].
    public internal(set) var starts: ColumnBuffer<Int64> = [0]
    /// Block b's size uncompressed.
    public internal(set) var sizes = ColumnBuffer<UInt32>()
    public internal(set) var count = 0
    /// Rows appended since the last full block, not yet compressed.
    var pending: [UInt8] = []
    var pendingLengths: [UInt32] = []
    /// Blocks decompressed lately (blocks never change once written, so a copy of the
    /// column, which only ever appends, may share them).
    let recent = DecompressedBlocks()

    public init() {}

    public var blockCount: Int { sizes.count }

    public mutating func append(bytes row: UnsafeBufferPointer<UInt8>) {
        pending.append(contentsOf: row)
        pendingLengths.append(UInt32(row.count))
        count += 1
        if pendingLengths.count == Self.rowsPerBlock { flush() }
    }

    public mutating func append(_ value: String) {
        var v = value
        v.withUTF8 { append(bytes: $0) }
    }

    /// Compresses the rows appended since the last block into a block of their own.
    public mutating func flush() {
        guard !pendingLengths.isEmpty else { return }
        var raw: [UInt8] = []
        raw.reserveCapacity(pendingLengths.count * 4 + pending.count)
        for n in pendingLengths { withUnsafeBytes(of: n.littleEndian) { raw.append(contentsOf: $0) } }
        raw += pending
        var packed = [UInt8](repeating: 0, count: ZSTD_compressBound(raw.count))
        let packedCount = raw.withUnsafeBytes { r in
            packed.withUnsafeMutableBytes { p in
                ZSTD_compress(p.baseAddress, p.count, r.baseAddress, r.count, Self.level)
            }
        }
        // Compression fails only without memory or with a too small buffer (the bound
        // rules that out); a trap then is the allocator's failure, not bad input.
        precondition(ZSTD_isError(packedCount) == 0, "zstd compress failed")
        bytes.append(contentsOf: packed[0..<packedCount])
        starts.append(Int64(bytes.count))
        sizes.append(UInt32(raw.count))
        pending.removeAll(keepingCapacity: true)
        pendingLengths.removeAll(keepingCapacity: true)
    }

    /// Row `row`'s text; empty if its block does not decompress (a damaged snapshot is
    /// refused at load, so this is not expected).
    public subscript(row: Int) -> String { withBytes(row) { String(decoding: $0, as: UTF8.self) } }

    /// Row `row`'s UTF-8 bytes.
    public func withBytes<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let b = row / Self.rowsPerBlock
        if b >= blockCount {
            // Still pending (a column being built).
            let k = row - blockCount * Self.rowsPerBlock
            let start = pendingLengths[..<k].reduce(0) { $0 + Int($1) }
            return pending.withUnsafeBufferPointer {
                body(UnsafeBufferPointer(rebasing: $0[start..<(start + Int(pendingLengths[k]))]))
            }
        }
        let raw: [UInt8]
        if let cached = recent.block(b) {
            raw = cached
        } else {
            raw = decompress(block: b) ?? []
            recent.keep(b, raw)
        }
        let inBlock = row - b * Self.rowsPerBlock
        let rows = min(Self.rowsPerBlock, count - b * Self.rowsPerBlock)
        return raw.withUnsafeBufferPointer { r in
            let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            guard r.count >= rows * 4 else { return body(empty) }
            let lengths = UnsafeRawBufferPointer(r)
            func length(_ k: Int) -> Int {
                Int(UInt32(littleEndian: lengths.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)))
            }
            var start = rows * 4
            for k in 0..<inBlock { start += length(k) }
            let n = length(inBlock)
            guard start + n <= r.count else { return body(empty) }
            return body(UnsafeBufferPointer(rebasing: r[start..<(start + n)]))
        }
    }

    /// Does row `row` contain `needle` (UTF-8 bytes)?
    public func contains(row: Int, _ needle: [UInt8]) -> Bool { withBytes(row) { containsBytes($0, needle) } }

    /// Block b uncompressed, or nil if its bytes do not give exactly its recorded size.
    func decompress(block b: Int) -> [UInt8]? {
        let size = Int(sizes[b])
        var raw = [UInt8](repeating: 0, count: size)
        let from = Int(starts[b])
        let to = Int(starts[b + 1])
        let n = bytes.withUnsafeBytes { p in
            raw.withUnsafeMutableBytes { r in ZSTD_decompress(r.baseAddress, r.count, p.baseAddress! + from, to - from)
            }
        }
        return ZSTD_isError(n) == 0 && n == size ? raw : nil
    }

    /// The blocks' bounds agree with the rows (the load's check; a block's bytes are
    /// covered by the snapshot's checksum and decompressed only when read).
    public func isConsistent() -> Bool {
        guard starts.first == 0, Int(starts.last ?? -1) == bytes.count, starts.count == sizes.count + 1,
            sizes.count == (count + Self.rowsPerBlock - 1) / Self.rowsPerBlock, pendingLengths.isEmpty
        else { return false }
        return starts.withUnsafeBufferPointer { s in (0..<(s.count - 1)).allSatisfy { s[$0] <= s[$0 + 1] } }
    }

    public var byteSize: Int { bytes.count + starts.count * 8 + sizes.count * 4 }
}

/// The last few blocks a column decompressed, shared by the threads that read it (a scan
/// split between two cores reads two blocks at a time).
final class DecompressedBlocks: @unchecked Sendable {
    private let lock = NSLock()
    private var blocks: [(index: Int, raw: [UInt8])] = []
    static let kept = 4

    func block(_ b: Int) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        return blocks.first { $0.index == b }?.raw
    }

    func keep(_ b: Int, _ raw: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        blocks.removeAll { $0.index == b }
        blocks.append((b, raw))
        if blocks.count > Self.kept { blocks.removeFirst() }
    }
}
