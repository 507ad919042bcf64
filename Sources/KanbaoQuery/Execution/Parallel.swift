// The one parallel helper: halves of a row range, one per core, and the block size
// the vectorised loops share.
import Foundation
import KanbaoOutput
import KanbaoStore

extension Executor {
    /// Rows per block in the vectorised loops: a grouping's keys, group numbers and values
    /// for a block stay in L1 while it is folded in; filters check for cancellation
    /// between blocks.
    static let blockRows = 2048

    /// Runs `body` on halves of 0..<n, one per core (on all of it, on this thread, below
    /// `rowsWorthSplitting`), and returns the parts' results in order; throws if the
    /// query was cancelled meanwhile.
    func split<R: Sendable>(_ n: Int, _ body: @escaping @Sendable (Int, Int, CancelProbe) -> R) throws -> [R] {
        // A few rows are not worth a second thread.
        let parts = n < Executor.rowsWorthSplitting ? 1 : 2
        let chunk = (n + parts - 1) / parts
        let cancelled = CancelProbe(flag: cancel)
        let results = Parallel.map(count: parts) { p in
            let lo = min(n, p * chunk)
            let hi = min(n, lo + chunk)
            return body(lo, hi, cancelled)
        }
        try check()
        return results
    }

    /// Fewer rows than this are worked on one thread. Tests set it to 0 to run the
    /// two-core paths (their halves and the joins) on the small seed corpus.
    @TaskLocal public static var rowsWorthSplitting = 4096

    struct CancelProbe: @unchecked Sendable {
        let flag: CancellationFlag?
        var isCancelled: Bool { flag?.isCancelled ?? false }
    }
}
