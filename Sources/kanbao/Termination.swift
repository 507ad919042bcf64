// SIGTERM (and SIGINT outside the prompt) end long work cleanly: the handler only records
// the signal and cancels the running query; loading, querying and writing check the
// record between steps, remove any partial file, and the program exits with 128 + the
// signal number, as shells expect.
import Foundation
import KanbaoQuery
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

let terminationSignal = Atomic<Int32>(0)

enum Termination {
    static func install(interrupt: Bool) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            terminationSignal.store(sig, ordering: .relaxed)
            activeCancellation?.cancel()
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGTERM, &action, nil)
        if interrupt { sigaction(SIGINT, &action, nil) }
    }

    static var requested: Bool { terminationSignal.load(ordering: .relaxed) != 0 }

    /// Ends the program if a signal asked for it.
    static func exitIfRequested() {
        let sig = terminationSignal.load(ordering: .relaxed)
        guard sig != 0 else { return }
        try? OutputStream.standardOutput.flush()
        FileHandle.standardError.write(Data("kanbao: interrupted by signal \(sig)\n".utf8))
        exit(128 + sig)
    }
}
