// The snapshot's checksum: 8 MiB blocks hashed apart (on every core when the whole
// buffer is in memory) and folded together with the length.
import Foundation

extension Snapshot {
    /// The checksum: the bytes are cut into 8 MiB blocks, each hashed in four independent
    /// multiply-xor lanes (so one core hashes at memory speed), and the block hashes are
    /// folded in order with the total length. Blocks are independent, so reading hashes
    /// them on every core. Catches a cut or a flipped bit; not a cryptographic signature.
    struct BlockChecksum {
        static let blockSize = 8 << 20
        static let initialLanes: (UInt64, UInt64, UInt64, UInt64) = (
            0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344, 0xA409_3822_299F_31D0, 0x082E_FA98_EC4E_6C89
        )
        private var lanes = initialLanes
        private var pending: [UInt8] = []
        private var inBlock = 0
        private var folded: UInt64 = 0xcbf2_9ce4_8422_2325
        private var total = 0

        init() { pending.reserveCapacity(32) }

        @inline(__always) static func mix(_ x: UInt64, _ w: UInt64) -> UInt64 {
            let y = (x ^ w) &* 0x9E37_79B9_7F4A_7C15
            return y ^ (y >> 29)
        }

        /// The hash of one whole block (or the last, shorter one).
        static func hashBlock(_ raw: UnsafeRawBufferPointer) -> UInt64 {
            var h = BlockChecksum()
            h.feed(raw)
            return h.endBlock()
        }

        /// Feeds bytes that lie within one block.
        private mutating func feed(_ raw: UnsafeRawBufferPointer) {
            var start = 0
            if !pending.isEmpty {
                while pending.count < 32 && start < raw.count {
                    pending.append(raw[start])
                    start += 1
                }
                guard pending.count == 32 else { return }
                pending.withUnsafeBytes { lanesStep($0, 0) }
                pending.removeAll(keepingCapacity: true)
            }
            let groups = (raw.count - start) / 32
            var (a, b, c, d) = lanes
            for g in 0..<groups {
                let o = start + g * 32
                a = BlockChecksum.mix(a, raw.loadUnaligned(fromByteOffset: o, as: UInt64.self))
                b = BlockChecksum.mix(b, raw.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self))
                c = BlockChecksum.mix(c, raw.loadUnaligned(fromByteOffset: o + 16, as: UInt64.self))
                d = BlockChecksum.mix(d, raw.loadUnaligned(fromByteOffset: o + 24, as: UInt64.self))
            }
            lanes = (a, b, c, d)
            for i in (start + groups * 32)..<raw.count { pending.append(raw[i]) }
        }

        private mutating func lanesStep(_ raw: UnsafeRawBufferPointer, _ o: Int) {
            lanes.0 = BlockChecksum.mix(lanes.0, raw.loadUnaligned(fromByteOffset: o, as: UInt64.self))
            lanes.1 = BlockChecksum.mix(lanes.1, raw.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self))
            lanes.2 = BlockChecksum.mix(lanes.2, raw.loadUnaligned(fromByteOffset: o + 16, as: UInt64.self))
            lanes.3 = BlockChecksum.mix(lanes.3, raw.loadUnaligned(fromByteOffset: o + 24, as: UInt64.self))
        }

        private mutating func endBlock() -> UInt64 {
            var h = BlockChecksum.mix(BlockChecksum.mix(BlockChecksum.mix(lanes.0, lanes.1), lanes.2), lanes.3)
            for b in pending { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return h
        }

        /// Streaming use (the writer): bytes in pieces of any size.
        mutating func update(_ raw: UnsafeRawBufferPointer) {
            var start = 0
            while start < raw.count {
                let take = Swift.min(raw.count - start, BlockChecksum.blockSize - inBlock)
                feed(UnsafeRawBufferPointer(rebasing: raw[start..<(start + take)]))
                start += take
                inBlock += take
                total += take
                if inBlock == BlockChecksum.blockSize { foldBlock() }
            }
        }

        private mutating func foldBlock() {
            folded = BlockChecksum.mix(folded, endBlock())
            lanes = BlockChecksum.initialLanes
            pending.removeAll(keepingCapacity: true)
            inBlock = 0
        }

        mutating func finish() -> UInt64 {
            if inBlock > 0 { folded = BlockChecksum.mix(folded, endBlock()) }
            return BlockChecksum.mix(folded, UInt64(total))
        }

        /// The checksum of a buffer in memory, its blocks hashed on every core.
        static func parallel(_ raw: UnsafeRawBufferPointer) -> UInt64 {
            let blocks = (raw.count + blockSize - 1) / blockSize
            var hashes = [UInt64](repeating: 0, count: blocks)
            hashes.withUnsafeMutableBufferPointer { out in
                let outBox = SharedParts(out)
                let rawBox = SharedParts(raw)
                let workers = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, blocks))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var b = w
                    while b < blocks {
                        let raw = rawBox.value
                        let lo = b * blockSize
                        let hi = Swift.min(raw.count, lo + blockSize)
                        outBox.value[b] = hashBlock(UnsafeRawBufferPointer(rebasing: raw[lo..<hi]))
                        b += workers
                    }
                }
            }
            var folded: UInt64 = 0xcbf2_9ce4_8422_2325
            for h in hashes { folded = mix(folded, h) }
            return mix(folded, UInt64(raw.count))
        }
    }
}
