#include "kb_edit.h"
#include <histedit.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct kb_editor {
    EditLine *el;
    HistoryW *hist;
    HistEventW ev;
    wchar_t *prompt;
    kb_complete_fn complete;
    void *context;
};

/* UTF-8 <-> wchar_t (UTF-32 on Linux), independent of the C library's locale tables. */
static wchar_t *utf8_to_wide(const char *s) {
    size_t n = strlen(s);
    wchar_t *out = malloc((n + 1) * sizeof(wchar_t));
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        unsigned cp;
        int extra;
        if (c < 0x80) { cp = c; extra = 0; }
        else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; extra = 1; }
        else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; extra = 2; }
        else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; extra = 3; }
        else { out[k++] = 0xFFFD; p++; continue; }
        p++;
        int ok = 1;
        for (int i = 0; i < extra; i++) {
            if ((*p & 0xC0) != 0x80) { ok = 0; break; }
            cp = (cp << 6) | (*p & 0x3F);
            p++;
        }
        out[k++] = ok ? (wchar_t)cp : 0xFFFD;
    }
    out[k] = 0;
    return out;
}

static char *wide_to_utf8(const wchar_t *s, size_t n) {
    char *out = malloc(n * 4 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned cp = (unsigned)s[i];
        if (cp < 0x80) out[k++] = (char)cp;
        else if (cp < 0x800) { out[k++] = (char)(0xC0 | (cp >> 6)); out[k++] = (char)(0x80 | (cp & 0x3F)); }
        else if (cp < 0x10000) {
            out[k++] = (char)(0xE0 | (cp >> 12)); out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[k++] = (char)(0xF0 | (cp >> 18)); out[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[k++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[k] = 0;
    return out;
}

static wchar_t *prompt_fn(EditLine *el) {
    kb_editor *e = NULL;
    el_wget(el, EL_CLIENTDATA, (void **)&e);
    return e && e->prompt ? e->prompt : L"> ";
}

static unsigned char complete_fn(EditLine *el, int ch) {
    (void)ch;
    kb_editor *e = NULL;
    el_wget(el, EL_CLIENTDATA, (void **)&e);
    if (!e || !e->complete) return CC_ERROR;
    const LineInfoW *li = el_wline(el);
    char *before = wide_to_utf8(li->buffer, (size_t)(li->cursor - li->buffer));
    char *answer = e->complete(e->context, before);
    free(before);
    if (!answer) { el_beep(el); return CC_REFRESH; }
    char *nl = strchr(answer, '\n');
    if (nl) *nl = 0;
    int ret = CC_REFRESH;
    if (answer[0]) {
        wchar_t *w = utf8_to_wide(answer);
        el_winsertstr(el, w);
        free(w);
    }
    if (nl && nl[1]) {
        /* Several candidates: list them under the line, then redraw it. */
        FILE *out = NULL;
        el_wget(el, EL_GETFP, 1, &out);
        if (!out) out = stdout;
        fputc('\n', out);
        for (char *c = nl + 1; *c; c++) fputc(*c == '\n' ? ' ' : *c, out);
        fputc('\n', out);
        fflush(out);
        ret = CC_REDISPLAY;
    } else if (!answer[0]) {
        el_beep(el);
    }
    free(answer);
    return (unsigned char)ret;
}

kb_editor *kb_editor_open(const char *program, int history_size) {
    /* Wide-character editing needs a UTF-8 locale for the terminal's bytes. */
    const char *loc = setlocale(LC_CTYPE, "");
    if (!loc || strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
        if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "en_US.UTF-8");
    }
    kb_editor *e = calloc(1, sizeof *e);
    e->el = el_init(program, stdin, stdout, stderr);
    if (!e->el) { free(e); return NULL; }
    e->hist = history_winit();
    history_w(e->hist, &e->ev, H_SETSIZE, history_size);
    history_w(e->hist, &e->ev, H_SETUNIQUE, 1);
    el_wset(e->el, EL_CLIENTDATA, (void *)e);
    el_wset(e->el, EL_EDITOR, L"emacs");
    el_wset(e->el, EL_SIGNAL, 1);
    el_wset(e->el, EL_PROMPT, prompt_fn);
    el_wset(e->el, EL_HIST, history_w, e->hist);
    el_wset(e->el, EL_ADDFN, L"kb-complete", L"Complete the word before the cursor", complete_fn);
    el_wset(e->el, EL_BIND, L"^I", L"kb-complete", NULL);
    el_source(e->el, NULL);
    return e;
}

void kb_editor_close(kb_editor *e) {
    if (!e) return;
    el_end(e->el);
    history_wend(e->hist);
    free(e->prompt);
    free(e);
}

void kb_editor_set_prompt(kb_editor *e, const char *utf8) {
    free(e->prompt);
    e->prompt = utf8_to_wide(utf8);
}

void kb_editor_set_completer(kb_editor *e, kb_complete_fn fn, void *context) {
    e->complete = fn;
    e->context = context;
}

char *kb_editor_gets(kb_editor *e, int *interrupted) {
    int count = 0;
    errno = 0;
    const wchar_t *line = el_wgets(e->el, &count);
    *interrupted = 0;
    if (!line) {
        if (count == -1 && errno == EINTR) *interrupted = 1;
        return NULL;
    }
    size_t n = wcslen(line);
    while (n > 0 && (line[n - 1] == L'\n' || line[n - 1] == L'\r')) n--;
    return wide_to_utf8(line, n);
}

int kb_history_add(kb_editor *e, const char *utf8) {
    wchar_t *w = utf8_to_wide(utf8);
    int r = history_w(e->hist, &e->ev, H_ENTER, w);
    free(w);
    return r;
}

int kb_history_load(kb_editor *e, const char *path) { return history_w(e->hist, &e->ev, H_LOAD, path); }
int kb_history_save(kb_editor *e, const char *path) { return history_w(e->hist, &e->ev, H_SAVE, path); }

int kb_history_count(kb_editor *e) {
    if (history_w(e->hist, &e->ev, H_GETSIZE) < 0) return 0;
    return e->ev.num;
}

char *kb_history_entry(kb_editor *e, int index) {
    /* H_LAST is the oldest entry; H_PREV walks towards newer ones. */
    if (history_w(e->hist, &e->ev, H_LAST) < 0) return NULL;
    for (int i = 0; i < index; i++) {
        if (history_w(e->hist, &e->ev, H_PREV) < 0) return NULL;
    }
    return wide_to_utf8(e->ev.str, wcslen(e->ev.str));
}
