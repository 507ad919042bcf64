// The store's tests build their stores from the seed pages, as users' corpora are built.
import Foundation
import KanbaoIngest
import KanbaoSeeds
import KanbaoStore

enum SeedCorpus {
    static let store: Store = CorpusLoader().load(pages: Seeds.pages)
}
