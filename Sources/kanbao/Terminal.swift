import Foundation

#if canImport(Glibc)
    import Glibc
#endif

enum Terminal {
    static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// COLUMNS, else the terminal's size, else 100.
    static func width(fd: Int32 = 1) -> Int {
        if let c = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(c), n > 10 { return n }
        var ws = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 10 { return Int(ws.ws_col) }
        return 100
    }

    static var colorAllowed: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"].map { $0.isEmpty } ?? true
    }
}
