// KANBAO_TRACE=1 prints how long each phase of loading and indexing took, on stderr
// (`kanbao: trace: index: body builders 31.2 s`). For finding where time goes on a big
// corpus; silent otherwise.
import Foundation

public enum Trace {
    public static let enabled =
        ProcessInfo.processInfo.environment["KANBAO_TRACE"].map { !$0.isEmpty && $0 != "0" } ?? false

    /// Runs `body`, and when tracing prints its wall time under `name`.
    @discardableResult
    public static func phase<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
        guard enabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let r = try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        FileHandle.standardError.write(Data("kanbao: trace: \(name) \(String(format: "%.2f", seconds)) s\n".utf8))
        return r
    }

    /// Prints a fact worth knowing next to the phase times (a count, a size).
    public static func note(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("kanbao: trace: \(text())\n".utf8))
    }
}
