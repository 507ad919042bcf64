// Page → articles. Reads the classified lines of one page as a small state machine:
//
//   headline block → (speaker) → body paragraphs with sub-heads → (byline)
//
// and handles the ways a printed page breaks that shape: banners above the first
// headline, photo captions between articles, a byline in the middle of a feature,
// a body whose headline comes after it, a lead pushed below its own byline, and
// paragraphs cut by a column break. Every line ends up in exactly one place.
import KanbaoStore

public struct Paragraph: Sendable {
    /// The paragraph's characters: kept as scalars, since every extractor reads them so
    /// and its article's body is made text once, from all its paragraphs.
    public var scalars: Scalars
    public var text: String { scalars.string }
    public var isSubhead: Bool
    /// Line numbers this paragraph was built from (column breaks join several).
    public var lines: [Int]
}

public struct ArticleDraft: Sendable {
    public var headline: [String] = []
    /// The page line of each headline line.
    public var headlineLines: [Int] = []
    public var bylines: [String] = []
    public var speakerLine: String?
    public var speakerLineNumber = 0
    public var speaker: String?
    public var paragraphs: [Paragraph] = []
    /// The first paragraph opened with 本报讯: a news brief, which never has sub-heads.
    public var isNewsBrief = false
    /// A byline after the body ended the article.
    public var closed = false
    public var firstLine: Int = 0

    var bodyParagraphCount: Int { paragraphs.lazy.filter { !$0.isSubhead }.count }
}

public struct SegmentedPage: Sendable {
    public var articles: [ArticleDraft] = []
    public var banners: [String] = []
    public var captions: [String] = []
    /// The page's own date lines (2021年3月5日 星期五), also kept among its banners or captions.
    public var datelines: [(line: Int, text: String, date: PartialDate)] = []
    /// Whitespace between a lead byline (本报讯 …) and the text after it.
    public var bylineSpacing = 0
}

public enum Segmenter {
    public static func segment(_ lines: [PageLine]) -> SegmentedPage {
        var state = State(lines: lines)
        state.run()
        return state.page
    }

    /// Does this paragraph end a sentence? A paragraph that does not was cut by a
    /// column break and continues in the next paragraph.
    static func endsSentence(_ text: Scalars) -> Bool {
        guard let last = text.last else { return true }
        return last.isSentenceEnd || last.isClosingMark
    }

    private struct State {
        let lines: [PageLine]
        var page = SegmentedPage()
        var current: Int? // index of the open (or last) article
        var orphans: [Paragraph] = [] // body text after a closed article, owner not yet known
        var i = 0

        init(lines: [PageLine]) { self.lines = lines }

        mutating func run() {
            while i < lines.count {
                let line = lines[i]
                switch line.kind {
                case .heading:
                    var end = i
                    while end < lines.count && lines[end].kind == .heading { end += 1 }
                    let run = Array(lines[i..<end])
                    i = end
                    heading(run)
                case .paragraph:
                    paragraph(line)
                    i += 1
                case .byline:
                    byline(line)
                    i += 1
                case .dateline, .furniture:
                    // Page furniture: above the first article a banner, else a caption.
                    if page.articles.isEmpty { page.banners.append(line.text) } else { page.captions.append(line.text) }
                    if line.kind == .dateline, let d = DateReader.dateline(line.scalars) {
                        page.datelines.append((line.number, line.text, d))
                    }
                    i += 1
                case .speaker:
                    // A speaker line not under a headline: the speaker of the open article.
                    if let c = current, page.articles[c].speakerLine == nil {
                        page.articles[c].speakerLine = line.text
                        page.articles[c].speakerLineNumber = line.number
                        page.articles[c].speaker = LineClassifier.speakerName(line.scalars)
                    } else {
                        page.captions.append(line.text)
                    }
                    i += 1
                }
            }
            if !orphans.isEmpty { mergeOrphans() }
        }

        // MARK: headings

        /// Splits a run of heading lines where two or more blank lines separate them:
        /// a headline's lines are set close together, captions stand apart.
        func groups(_ run: [PageLine]) -> [[PageLine]] {
            var out: [[PageLine]] = []
            for (k, l) in run.enumerated() {
                if k == 0 || l.blankBefore >= 2 { out.append([l]) } else { out[out.count - 1].append(l) }
            }
            return out
        }

        mutating func heading(_ run: [PageLine]) {
            let next = i < lines.count ? lines[i] : nil
            var following = next
            if next?.kind == .byline, i + 1 < lines.count, lines[i + 1].kind == .paragraph { following = lines[i + 1] }
            guard let n = following, n.kind == .paragraph || n.kind == .speaker else {
                trailing(run)
                return
            }
            if !orphans.isEmpty { mergeOrphans() }
            let gs = groups(run)
            let opensWithByline = n.kind == .speaker || next?.kind == .byline || LeadMarker.length(n.scalars) != nil
            guard let c = current else {
                newArticle(gs)
                return
            }
            let art = page.articles[c]
            if opensWithByline || art.isNewsBrief {
                newArticle(gs)
            } else if art.closed {
                if gs.count >= 2 && gs.allSatisfy({ $0.count == 1 }) {
                    // Isolated short lines after a finished article are photo captions; the
                    // body below them waits for its headline, which may follow it.
                    page.captions += run.map(\.text)
                    page.articles.append(ArticleDraft(firstLine: n.number))
                    current = page.articles.count - 1
                } else {
                    newArticle(gs)
                }
            } else if gs.contains(where: { $0.count >= 2 }) {
                newArticle(gs)
            } else {
                for l in run {
                    page.articles[c].paragraphs.append(
                        Paragraph(scalars: l.scalars, isSubhead: true, lines: [l.number]))
                }
            }
        }

        /// The last group is the headline (at most three lines: kicker, title, sub-title).
        /// Lines above it are banners at the top of the page, captions elsewhere.
        mutating func newArticle(_ gs: [[PageLine]]) {
            let atTop = page.articles.isEmpty
            var lead = gs.dropLast().flatMap { $0 }.map(\.text)
            var group = gs.last!
            // Slogans standing above the page's first headline are banners, not kickers
            // (不忘初心 牢记使命, 奋进新征程 建功新时代, 学习贯彻党的二十大精神).
            while atTop && group.count >= 2 && PageFurniture.isSlogan(group[0].scalars) {
                lead.append(group.removeFirst().text)
            }
            var head = group.map(\.text)
            if head.count > 3 {
                lead += head.prefix(head.count - 3)
                head = Array(head.suffix(3))
            }
            if atTop { page.banners += lead } else { page.captions += lead }
            var a = ArticleDraft()
            a.headline = head
            a.headlineLines = Array(group.map(\.number).suffix(head.count))
            a.firstLine = group.first!.number
            page.articles.append(a)
            current = page.articles.count - 1
            if i < lines.count, lines[i].kind == .speaker {
                page.articles[current!].speakerLine = lines[i].text
                page.articles[current!].speakerLineNumber = lines[i].number
                page.articles[current!].speaker = LineClassifier.speakerName(lines[i].scalars)
                i += 1
            }
        }

        /// Headings followed by no body: a headline printed after its body, or captions.
        mutating func trailing(_ run: [PageLine]) {
            var gs = groups(run)
            if !orphans.isEmpty {
                // A finished article, then body text, then this: the body's own headline.
                var a = ArticleDraft(firstLine: orphans[0].lines[0])
                a.paragraphs = orphans
                orphans = []
                let first = gs.removeFirst()
                a.headline = first.prefix(3).map(\.text)
                a.headlineLines = first.prefix(3).map(\.number)
                page.captions += first.dropFirst(3).map(\.text)
                page.articles.append(a)
                current = page.articles.count - 1
            } else if let c = current, page.articles[c].headline.isEmpty, !page.articles[c].paragraphs.isEmpty {
                let first = gs.removeFirst()
                page.articles[c].headline = first.prefix(3).map(\.text)
                page.articles[c].headlineLines = first.prefix(3).map(\.number)
                page.captions += first.dropFirst(3).map(\.text)
            }
            page.captions += gs.flatMap { $0 }.map(\.text)
        }

        // MARK: body

        mutating func paragraph(_ line: PageLine) {
            guard let c = current else {
                page.articles.append(ArticleDraft(firstLine: line.number))
                current = page.articles.count - 1
                append(line, to: page.articles.count - 1)
                return
            }
            if page.articles[c].closed {
                if let last = orphans.last, !Segmenter.endsSentence(last.scalars) {
                    orphans[orphans.count - 1].scalars += line.scalars
                    orphans[orphans.count - 1].lines.append(line.number)
                } else {
                    orphans.append(Paragraph(scalars: line.scalars, isSubhead: false, lines: [line.number]))
                }
                return
            }
            // A new lead (本报讯, 中原网讯 …) after body text starts a new article, even with
            // no headline or blank line before it: two articles are never merged.
            if LeadMarker.length(line.scalars) != nil && page.articles[c].bodyParagraphCount > 0 {
                page.articles.append(ArticleDraft(firstLine: line.number))
                current = page.articles.count - 1
                append(line, to: current!)
                return
            }
            append(line, to: c)
        }

        mutating func append(_ line: PageLine, to c: Int) {
            var text = line.scalars
            if page.articles[c].paragraphs.isEmpty, let marker = LeadMarker.length(line.scalars) {
                let (byline, rest, spacing) = splitLeadByline(line.scalars, marker: marker)
                page.articles[c].bylines.append(byline)
                page.articles[c].isNewsBrief = true
                page.bylineSpacing += spacing
                text = rest
                if text.isEmpty { return }
            }
            if let last = page.articles[c].paragraphs.last, !last.isSubhead, !Segmenter.endsSentence(last.scalars) {
                page.articles[c].paragraphs[page.articles[c].paragraphs.count - 1].scalars += text
                page.articles[c].paragraphs[page.articles[c].paragraphs.count - 1].lines.append(line.number)
            } else {
                page.articles[c].paragraphs.append(Paragraph(scalars: text, isSubhead: false, lines: [line.number]))
            }
        }

        /// `本报讯(记者 刘伟平 通讯员 张帅)记者昨日…` → byline, body, spaces between.
        func splitLeadByline(_ s: Scalars, marker: Int) -> (String, Scalars, Int) {
            var end = marker // after 本报讯
            var k = end
            while k < s.count && s[k].isSpaceLike { k += 1 }
            if k < s.count && (s[k] == "(" || s[k] == "（") {
                if let close = s[k...].firstIndex(where: { $0 == ")" || $0 == "）" }), close - k < 80 {
                    end = close + 1
                }
            }
            var start = end
            while start < s.count && s[start].isSpaceLike { start += 1 }
            let byline = s[..<end].string
            // Spaces between 本报讯 and a parenthesis stay inside the byline.
            return (byline, Array(s[start...]), start - end)
        }

        mutating func byline(_ line: PageLine) {
            guard let c = current else {
                page.captions.append(line.text)
                return
            }
            if !orphans.isEmpty { mergeOrphans() }
            var a = page.articles[c]
            let isLeadByline = a.bylines.isEmpty && !a.isNewsBrief && a.bodyParagraphCount <= 2
            a.bylines.append(line.text)
            // A byline after the first paragraph or two of a feature opens it (郑报全媒体记者 …
            // 文/图 under the lead); after a longer body it ends the article.
            if !a.paragraphs.isEmpty && !isLeadByline { a.closed = true }
            page.articles[c] = a
        }

        /// Body text after a finished article that found no headline of its own belongs to
        /// that article: a lead that the layout pushed below the byline goes first.
        mutating func mergeOrphans() {
            guard let c = current else { return }
            var a = page.articles[c]
            let orphanEndsOpen = !Segmenter.endsSentence(orphans.last!.scalars)
            if orphanEndsOpen && !a.isNewsBrief, let firstBody = a.paragraphs.firstIndex(where: { !$0.isSubhead }),
                firstBody == 0
            {
                var lead = orphans
                lead[lead.count - 1].scalars += a.paragraphs[0].scalars
                lead[lead.count - 1].lines += a.paragraphs[0].lines
                a.paragraphs = lead + a.paragraphs.dropFirst()
            } else {
                a.paragraphs += orphans
            }
            orphans = []
            page.articles[c] = a
        }
    }
}
