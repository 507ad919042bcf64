// The row shapes that ingest hands to the store. They exist only while a page is being
// appended; once in the store every field lives in its column.

public enum Approx: UInt8, Sendable, CaseIterable {
    case exact = 0
    case over, about, under
    public var name: String {
        switch self {
        case .exact: return "exact"
        case .over: return "over"
        case .about: return "about"
        case .under: return "under"
        }
    }
    public init?(name: String) {
        guard let a = Approx.allCases.first(where: { $0.name == name }) else { return nil }
        self = a
    }
}

public struct FigureRecord: Equatable, Sendable {
    public var raw: String
    public var value: Double
    public var valueMax: Double?
    public var unit: String
    public var approx: Approx
    public var context: String
    /// Offset of `raw` in the article body, in Unicode scalars (what Python's str counts).
    public var offset: Int

    /// How far a context reaches from the figure, in characters, at most, on each side.
    public static let contextReach = 60

    public init(
        raw: String, value: Double, valueMax: Double? = nil, unit: String, approx: Approx,
        context: String, offset: Int
    ) {
        self.raw = raw
        self.value = value
        self.valueMax = valueMax
        self.unit = unit
        self.approx = approx
        self.context = context
        self.offset = offset
    }
}

public struct ArticleRecord: Sendable {
    public var source: String
    public var title: String
    public var headline: [String]
    public var byline: String?
    public var reporters: [String]
    public var correspondents: [String]
    public var speaker: String?
    public var district: String?
    public var districts: [String]
    public var places: [String]
    public var date: PartialDate?
    public var dateSource: DateSource
    /// How the date was found, in words, for `why` ("“4月9日” in the lead, the year from the page …").
    public var dateNote: String
    /// The page's publication date (the file name's, else its date line's) and its source.
    public var published: PartialDate?
    public var publishedSource: DateSource = .none
    /// How the title, district, places and published date were decided, for `why`.
    public var titleNote = ""
    public var districtNote = ""
    public var placesNote = ""
    public var publishedNote = ""
    /// The notes above as the store keeps them (`ArticleNotes.utf8`), when ingest has
    /// already encoded them on its worker thread; empty otherwise.
    public var notesUTF8: [UInt8] = []
    /// The body as the store keeps it (UTF-16), when ingest has already made it on its
    /// worker thread; empty otherwise (the store then makes it from `bodyUTF8`).
    public var bodyUTF16: [UInt16] = []
    /// The body as UTF-8. Pages hand over bytes they encoded from scalars they had already
    /// checked, and the store copies them as they are: making a String of them would check
    /// them again, a few per cent of all ingest time. `body` makes the text when asked.
    public private(set) var bodyUTF8: [UInt8]
    /// Characters of the body, counted as Unicode scalars (what the export's offsets count).
    public private(set) var chars: Int
    public var figures: [FigureRecord]

    public var body: String {
        get { String(decoding: bodyUTF8, as: UTF8.self) }
        set {
            bodyUTF8 = Array(newValue.utf8)
            bodyUTF16 = []
            chars = bodyUTF8.withUnsafeBufferPointer { UTF8Scalars.count($0) }
        }
    }

    public init(
        source: String, title: String, headline: [String], byline: String?, reporters: [String],
        correspondents: [String] = [], speaker: String? = nil, district: String?, districts: [String],
        places: [String], date: PartialDate?, dateSource: DateSource, dateNote: String = "",
        body: String, figures: [FigureRecord]
    ) {
        self.source = source
        self.title = title
        self.headline = headline
        self.byline = byline
        self.reporters = reporters
        self.correspondents = correspondents
        self.speaker = speaker
        self.district = district
        self.districts = districts
        self.places = places
        self.date = date
        self.dateSource = dateSource
        self.dateNote = dateNote
        self.bodyUTF8 = Array(body.utf8)
        self.figures = figures
        self.chars = bodyUTF8.withUnsafeBufferPointer { UTF8Scalars.count($0) }
    }

    /// A record whose body is given as UTF-8 with its character count: `bodyUTF8` must be
    /// valid UTF-8 of exactly `chars` scalars (ingest encodes it from the scalars it read).
    public init(
        source: String, title: String, headline: [String], byline: String?, reporters: [String],
        correspondents: [String] = [], speaker: String? = nil, district: String?, districts: [String],
        places: [String], date: PartialDate?, dateSource: DateSource, dateNote: String = "",
        bodyUTF8: [UInt8], chars: Int, figures: [FigureRecord]
    ) {
        self.init(
            source: source, title: title, headline: headline, byline: byline, reporters: reporters,
            correspondents: correspondents, speaker: speaker, district: district, districts: districts,
            places: places, date: date, dateSource: dateSource, dateNote: dateNote, body: "", figures: figures)
        assert(
            bodyUTF8.withUnsafeBufferPointer { UTF8Scalars.count($0) } == chars
                && String(validating: bodyUTF8, as: UTF8.self) != nil,
            "a record's bytes must be valid UTF-8 of the characters it counts")
        self.bodyUTF8 = bodyUTF8
        self.chars = chars
    }
}

/// What happened to every character of a page: placed somewhere, or dropped for a reason.
public struct CharacterAccount: Sendable, Equatable {
    public var read = 0
    public var headlines = 0
    public var bylines = 0
    public var bodies = 0
    public var subheads = 0 // part of `bodies`, counted again here for the report
    public var banners = 0
    public var captions = 0
    /// Dropped characters by reason ("line breaks and blank lines", "replacement of invalid bytes" …).
    public var dropped: [String: Int] = [:]

    public init() {}

    public var placed: Int { headlines + bylines + bodies + banners + captions }
    public var droppedTotal: Int { dropped.values.reduce(0, +) }
    public var balances: Bool { read == placed + droppedTotal }

    public mutating func add(_ o: CharacterAccount) {
        read += o.read
        headlines += o.headlines
        bylines += o.bylines
        bodies += o.bodies
        subheads += o.subheads
        banners += o.banners
        captions += o.captions
        for (k, v) in o.dropped { dropped[k, default: 0] += v }
    }
}

/// Per-page metadata: the lines that belong to no article body.
public struct PageRecord: Sendable {
    public var source: String
    public var publicationDate: PartialDate?
    public var publicationSource: DateSource = .none
    public var pageYear: Int?
    public var pageYearNote: String
    public var encoding: String
    public var banners: [String]
    public var captions: [String]
    public var account: CharacterAccount
    /// Invalid byte sequences decoded as U+FFFD (those characters are read and placed).
    public var replacedBytes = 0

    public init(
        source: String, publicationDate: PartialDate?, pageYear: Int?, pageYearNote: String,
        encoding: String, banners: [String], captions: [String], account: CharacterAccount
    ) {
        self.source = source
        self.publicationDate = publicationDate
        self.pageYear = pageYear
        self.pageYearNote = pageYearNote
        self.encoding = encoding
        self.banners = banners
        self.captions = captions
        self.account = account
    }
}

/// How an article's fields were decided, one line per field, as the store keeps them (in
/// one text per article) and `why` shows them.
public struct ArticleNotes: Sendable, Equatable {
    public static let fields = ["title", "district", "places", "date", "published"]
    public var title = "", district = "", places = "", date = "", published = ""

    public init(
        title: String = "", district: String = "", places: String = "", date: String = "", published: String = ""
    ) {
        self.title = title
        self.district = district
        self.places = places
        self.date = date
        self.published = published
    }

    public init(_ r: ArticleRecord) {
        self.init(
            title: r.titleNote, district: r.districtNote, places: r.placesNote, date: r.dateNote,
            published: r.publishedNote)
    }

    var values: [String] { [title, district, places, date, published] }

    /// `field<TAB>note` lines as UTF-8; a note never holds a line break or a tab (they are
    /// written as spaces). Built from the notes' bytes: ingest encodes every article's
    /// notes, so this stays off Swift's character-by-character paths.
    public var utf8: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.reduce(0) { $0 + $1.utf8.count + 12 })
        for (field, note) in zip(Self.fields, values) where !note.isEmpty {
            if !out.isEmpty { out.append(0x0A) }
            out += field.utf8
            out.append(0x09)
            for b in note.utf8 { out.append(b == 0x0A || b == 0x0D || b == 0x09 ? 0x20 : b) }
        }
        return out
    }

    public var encoded: String { String(decoding: utf8, as: UTF8.self) }

    public init(encoded: String) {
        for line in encoded.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            let note = String(line[line.index(after: tab)...])
            switch line[..<tab] {
            case "title": title = note
            case "district": district = note
            case "places": places = note
            case "date": date = note
            case "published": published = note
            default: break
            }
        }
    }

    /// (field, note) in field order.
    public var pairs: [(field: String, note: String)] {
        Array(zip(Self.fields, values)).map { (field: $0.0, note: $0.1) }
    }
}
