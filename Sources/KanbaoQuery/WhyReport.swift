// `why ID`: how one article's title, district, places, date and published date were
// decided — the value, then the notes ingest wrote when it decided (the lines and words,
// the rule, the candidates that lost). Plain text for people, JSON for programs.
import KanbaoOutput
import KanbaoStore

struct WhyReport {
    struct Entry {
        var field: String
        /// The value as shown in text, and as a JSON value.
        var value: String
        var json: String
        /// Extra JSON members beside value and why (precision, source, the districts list).
        var extra: [(String, String)] = []
        var why: String
    }

    let id: Int
    let source: String
    let entries: [Entry]

    init(store: Store, article i: Int) {
        let a = store.articles
        let notes = ArticleNotes(encoded: a.notes[i])
        id = i
        source = a.source[i] ?? ""
        func text(_ s: String?) -> (String, String) { (s ?? "(none)", s.map(JSON.string) ?? "null") }
        func list(_ l: [String]) -> (String, String) {
            (l.isEmpty ? "(none)" : l.joined(separator: ", "), JSON.array(l))
        }
        let title = text(a.title[i].isEmpty ? nil : a.title[i])
        let district = text(a.district[i])
        let places = list(a.places[i])
        let date = store.date(ofArticle: i)
        let precision = DatePrecision(rawValue: a.datePrecision[i])!.name
        let dateSource = DateSource(rawValue: a.dateSource[i])!.name
        let published = store.published(ofArticle: i)
        let publishedSource = DateSource(rawValue: a.publishedSource[i])!.name
        entries = [
            Entry(field: "title", value: title.0, json: title.1, why: notes.title),
            Entry(
                field: "district",
                value: district.0
                    + (a.districts[i].count > 1 ? " (all: \(a.districts[i].joined(separator: ", ")))" : ""),
                json: district.1, extra: [("districts", JSON.array(a.districts[i]))],
                why: notes.district
                    + (a.districts[i].isEmpty
                        ? "" : " (a mention weighs 3 in the headline or speaker line, 2 in the lead, 1 in the body)")),
            Entry(field: "places", value: places.0, json: places.1, why: notes.places),
            Entry(
                field: "date", value: date.map { "\($0) (\(precision), from \(dateSource))" } ?? "(none)",
                json: date.map { JSON.string($0.description) } ?? "null",
                extra: [("precision", JSON.string(precision)), ("source", JSON.string(dateSource))], why: notes.date),
            Entry(
                field: "published", value: published.map { "\($0) (from \(publishedSource))" } ?? "(none)",
                json: published.map { JSON.string($0.description) } ?? "null",
                extra: [("source", JSON.string(publishedSource))], why: notes.published),
        ]
    }

    /// article 4 · 001_a6d616cd7f86b238.txt
    /// title      关心群众身边事 主动服务解民忧
    ///            the title is line 40; …
    var text: String {
        var out = "article \(id) · \(source)\n"
        for e in entries {
            out += e.field.padding(toLength: 11, withPad: " ", startingAt: 0) + e.value + "\n"
            if !e.why.isEmpty { out += String(repeating: " ", count: 11) + e.why + "\n" }
        }
        return out
    }

    var json: String {
        var members = ["\"id\":\(id)", "\"source\":\(JSON.string(source))"]
        for e in entries {
            let inner = [("value", e.json)] + e.extra + [("why", JSON.string(e.why))]
            members.append(
                "\(JSON.string(e.field)):{" + inner.map { "\(JSON.string($0.0)):\($0.1)" }.joined(separator: ",") + "}")
        }
        return "{" + members.joined(separator: ",") + "}\n"
    }
}
