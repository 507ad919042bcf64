// The five seed pages, compiled into the binary so that `kanbao` works from any folder
// and after the binary is copied elsewhere. A test checks this list against seeds/.

public enum Seeds {
    public static let pages: [(name: String, bytes: [UInt8])] = [
        ("000_b0894352c10c2a38.txt", PackageResources._00_b0894352c10c2a38_txt),
        ("001_a6d616cd7f86b238.txt", PackageResources._01_a6d616cd7f86b238_txt),
        ("002_a0573fb3ff6653c6.txt", PackageResources._02_a0573fb3ff6653c6_txt),
        ("003_1c925549a5f0f8ca.txt", PackageResources._03_1c925549a5f0f8ca_txt),
        ("004_5ab60398d2227b0f.txt", PackageResources._04_5ab60398d2227b0f_txt),
    ]
}
