// One page of text → its page record and its article records: segmentation, then
// extraction of title, names, district, date and figures for every article.
import KanbaoStore

public enum PageIngest {
    public static func ingest(
        text: String, source: String, encoding: String = "UTF-8",
        gazetteer: Gazetteer = .zhengzhou
    ) -> (page: PageRecord, articles: [ArticleRecord]) {
        ingest(scalars: Array(scalarsOf: text), source: source, encoding: encoding, gazetteer: gazetteer)
    }

    static func ingest(
        scalars: [Unicode.Scalar], source: String, encoding: String,
        gazetteer: Gazetteer
    ) -> (page: PageRecord, articles: [ArticleRecord]) {
        let (lines, breaks, blankWhitespace) = LineClassifier.split(scalars: scalars)
        let seg = Segmenter.segment(lines)

        var account = CharacterAccount()
        account.read = scalars.count
        account.dropped["line breaks"] = breaks
        account.dropped["whitespace on blank lines"] = blankWhitespace
        account.dropped["whitespace around lines"] = lines.reduce(0) { $0 + $1.trimmed }
        account.dropped["spaces after 本报讯"] = seg.bylineSpacing
        account.banners = seg.banners.reduce(0) { $0 + $1.scalarCount }
        account.captions = seg.captions.reduce(0) { $0 + $1.scalarCount }
        account.dropped = account.dropped.filter { $0.value > 0 }

        // Each body is turned into scalars once; the page year, district, date and figure
        // readers all read that.
        let bodies = seg.articles.map(BodyText.init)
        // The page's text is read for its year only when no publication date gives it.
        func yearTexts() -> [(scalars: Scalars, range: Range<Int>)] {
            var texts: [(scalars: Scalars, range: Range<Int>)] = []
            func add(_ s: String) {
                let a = Array(scalarsOf: s)
                texts.append((a, 0..<a.count))
            }
            seg.banners.forEach(add)
            seg.captions.forEach(add)
            for (a, body) in zip(seg.articles, bodies) {
                a.headline.forEach(add)
                for p in body.paragraphs { texts.append((body.scalars, p)) }
            }
            return texts
        }
        let fileName = source.split(separator: "/").last.map(String.init) ?? source
        let dates = DateReader.pageDates(fileName: fileName, datelines: seg.datelines, texts: yearTexts())

        var records: [ArticleRecord] = []
        for (draft, body) in zip(seg.articles, bodies)
        where !(draft.headline.isEmpty && draft.paragraphs.isEmpty && draft.bylines.isEmpty && draft.speakerLine == nil)
        {
            account.headlines += draft.headline.reduce(0) { $0 + $1.scalarCount }
            account.bylines += draft.bylines.reduce(0) { $0 + $1.scalarCount } + (draft.speakerLine?.scalarCount ?? 0)
            account.bodies += body.paragraphs.reduce(0) { $0 + $1.count }
            account.subheads += zip(draft.paragraphs, body.paragraphs).reduce(0) {
                $0 + ($1.0.isSubhead ? $1.1.count : 0)
            }
            records.append(article(from: draft, body: body, source: source, dates: dates, gazetteer: gazetteer))
        }
        // Bylines that found no article (a page that opens with one) were kept as captions.
        var page = PageRecord(
            source: source, publicationDate: dates.published, pageYear: dates.year,
            pageYearNote: dates.yearNote, encoding: encoding,
            banners: seg.banners, captions: seg.captions, account: account)
        page.publicationSource = dates.publishedSource
        return (page, records)
    }

    /// An article's body (its paragraphs joined by line breaks), as scalars and as UTF-8,
    /// with where each paragraph lies in the scalars.
    struct BodyText {
        let utf8: [UInt8]
        let scalars: Scalars
        let paragraphs: [Range<Int>]
        init(_ d: ArticleDraft) {
            var all = Scalars()
            all.reserveCapacity(d.paragraphs.reduce(d.paragraphs.count) { $0 + $1.scalars.count })
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(d.paragraphs.count)
            for p in d.paragraphs {
                if !ranges.isEmpty { all.append("\n") } // between paragraphs
                ranges.append(all.count..<(all.count + p.scalars.count))
                all += p.scalars
            }
            scalars = all
            utf8 = utf8Bytes(all)
            paragraphs = ranges
        }
    }

    static func article(
        from d: ArticleDraft, body: BodyText, source: String, dates: PageDates,
        gazetteer: Gazetteer
    ) -> ArticleRecord {
        let leadIndex = d.paragraphs.firstIndex(where: { !$0.isSubhead })
        let lead = leadIndex.map { body.scalars[body.paragraphs[$0]] } ?? []
        let restIndices = body.paragraphs.indices.filter { $0 != leadIndex }
        let rest = restIndices.map { body.scalars[body.paragraphs[$0]] }
        let names = BylineReader.names(in: d.bylines)
        let lines = ArticleLines(
            headline: d.headlineLines, speaker: d.speakerLineNumber,
            lead: leadIndex.map { d.paragraphs[$0].lines.first ?? 0 } ?? 0,
            rest: restIndices.map { d.paragraphs[$0].lines.first ?? 0 })
        let places = DistrictResolver.resolve(
            headline: d.headline, speakerLine: d.speakerLine, lead: lead, rest: rest,
            gazetteer: gazetteer, lines: lines)
        let date = DateReader.leadDate(scalars: Array(lead), pageDates: dates)
        let title = HeadlineReader.titleAndNote(of: d.headline, lines: d.headlineLines, gazetteer: gazetteer)
        var bylineParts = d.bylines
        if let s = d.speakerLine { bylineParts.append(s) }
        var record = ArticleRecord(
            source: source,
            title: title.title,
            headline: d.headline,
            byline: bylineParts.isEmpty ? nil : bylineParts.joined(separator: " "),
            reporters: names.reporters,
            correspondents: names.correspondents,
            speaker: d.speaker,
            district: places.district,
            districts: places.districts,
            places: places.places,
            date: date.date,
            dateSource: date.source,
            dateNote: date.note,
            bodyUTF8: body.utf8, chars: body.scalars.count,
            figures: FigureReader.figures(in: body.scalars)
        )
        record.published = dates.published
        record.publishedSource = dates.publishedSource
        record.titleNote = title.note
        record.districtNote = places.note
        record.placesNote = places.placesNote
        record.publishedNote = dates.publishedNote
        // Here, on the parsing thread, not in the store's single append thread.
        record.notesUTF8 = ArticleNotes(record).utf8
        record.bodyUTF16 = record.bodyUTF8.withUnsafeBufferPointer(UTF16Text.units)
        return record
    }
}
