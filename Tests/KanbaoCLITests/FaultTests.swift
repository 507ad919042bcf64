// Faults: a full disk, a signal in the middle of a load or a write, a damaged snapshot.
// Each ends with a clear message, the right exit status and no partial file.
import Foundation
import KanbaoTestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class FaultTests: XCTestCase {
    func testFullDiskOnExportAndOutput() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full here") }
        let r = try Binary.shell("\"$KANBAO\" export articles > /dev/full")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("No space left on device"), r.stderr)
        let o = try Binary.run(["--format", "csv"], stdin: ".output /dev/full\n| show *\n党建 | count\n")
        XCTAssertEqual(o.status, 1)
        XCTAssertTrue(o.stderr.contains("cannot write to /dev/full: No space left on device"), o.stderr)
        XCTAssertEqual(o.stdout, "count\n10\n") // back on the screen for the next statement
    }

    func testSIGTERMDuringIndexLeavesNoFile() throws {
        let corpus = try temporaryDirectory()
        for i in 0..<150 {
            for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.seedsFolder.path)
            where name.hasSuffix(".txt") {
                try FileManager.default.copyItem(
                    at: Fixture.seedsFolder.appendingPathComponent(name),
                    to: corpus.appendingPathComponent("c\(i)_\(name)"))
            }
        }
        let outDir = try temporaryDirectory()
        let snapshot = outDir.appendingPathComponent("c.kbs")
        let p = Process()
        p.executableURL = Binary.path
        p.arguments = ["index", corpus.path, "-o", snapshot.path]
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(800_000)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 128 + SIGTERM)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: outDir.path), [], "no snapshot and no temporary file")
    }

    func testDamagedSnapshotIsRefusedByTheBinary() throws {
        let dir = try temporaryDirectory()
        let snap = dir.appendingPathComponent("s.kbs")
        XCTAssertEqual(try Binary.run(["index", Fixture.seedsFolder.path, "-o", snap.path]).status, 0)
        var bytes = [UInt8](try Data(contentsOf: snap))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: snap)
        let r = try Binary.run(["-c", "| count", "--corpus", snap.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("snapshot is damaged"), r.stderr)
        try Data(bytes.prefix(1000)).write(to: snap)
        XCTAssertTrue(try Binary.run(["-c", "| count", "--corpus", snap.path]).stderr.contains("snapshot is damaged"))
    }
}
