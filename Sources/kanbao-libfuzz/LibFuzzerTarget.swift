import CKanbaoFuzz
// A libFuzzer target for the query front end (lexer, parser, binder, planner and
// executor) and for page ingest. Built and run by scripts/libfuzz.sh:
//
//   swift build -c release --product kanbao-libfuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DKANBAO_LIBFUZZER
//   KANBAO_FUZZ=queries .build/release/kanbao-libfuzz CORPUS_DIR -runs=1000000
//
// Each input is one statement (KANBAO_FUZZ=queries, the default) or one page file
// (KANBAO_FUZZ=pages). A crash is a finding, and so is a broken property: a diagnostic
// without line and column, or a page whose characters do not all add up. Those abort,
// so that libFuzzer saves the input.
//
// Built without the fuzzer (as `swift build` does), the same file is a replay tool:
// `kanbao-libfuzz FILE…` runs each file through the same checks.
import Foundation
import KanbaoFuzz
import KanbaoIngest
import KanbaoQuery
import KanbaoSeeds
import KanbaoStore

let seedStore = CorpusLoader().load(pages: Seeds.pages)
let fuzzPages = ProcessInfo.processInfo.environment["KANBAO_FUZZ"] == "pages"

/// Checks one input; returns what went wrong, or nil.
func checkOne(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    if fuzzPages {
        let (_, violations) = PageFuzzer.check(Array(bytes), name: "input.txt")
        return violations.first
    }
    let session = Session(store: seedStore)
    if case .violation(let v) = QueryFuzzer.check(String(decoding: bytes, as: UTF8.self), session: session) { return v }
    return nil
}

/// The callback libFuzzer calls for each input.
let fuzzOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    if let why = checkOne(UnsafeBufferPointer(start: data, count: size)) {
        FileHandle.standardError.write(Data("property broken: \(why)\n".utf8))
        abort()
    }
    return 0
}

@main
enum LibFuzzerTarget {
    static func main() {
        #if KANBAO_LIBFUZZER
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(kb_run_fuzzer(&argc, &argv, fuzzOneInput))
        #else
            replay(Array(CommandLine.arguments.dropFirst()))
        #endif
    }

    static func replay(_ paths: [String]) {
        var failed = 0
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                failed += 1
                continue
            }
            if let why = data.withUnsafeBytes({ checkOne($0.bindMemory(to: UInt8.self)) }) {
                print("\(path): \(why)")
                failed += 1
            }
        }
        print("\(paths.count) inputs, \(failed) failed")
        exit(failed == 0 ? 0 : 1)
    }
}
