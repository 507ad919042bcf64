// A small, non-variadic face for libedit. Swift cannot call C variadic functions such as
// el_set, el_wset and history, so these shims make those calls and expose plain
// functions that take and return UTF-8.
#ifndef KB_EDIT_H
#define KB_EDIT_H

typedef struct kb_editor kb_editor;

/// Completion: given the UTF-8 text before the cursor, return a malloc'd UTF-8 string:
/// the text to insert, then one candidate per line (none when the completion is unique),
/// or NULL when there is nothing to complete.
typedef char *(*kb_complete_fn)(void *context, const char *before_cursor);

/// Opens an editor on stdin/stdout in wide-character mode (UTF-8 locale), emacs keys,
/// history of at most `history_size` entries with consecutive duplicates folded.
kb_editor *kb_editor_open(const char *program, int history_size);
void kb_editor_close(kb_editor *e);
void kb_editor_set_prompt(kb_editor *e, const char *utf8);
void kb_editor_set_completer(kb_editor *e, kb_complete_fn fn, void *context);

/// Reads one line. Returns malloc'd UTF-8 without the line break, or NULL at the end of
/// input or when a signal interrupted the read (then *interrupted is 1).
char *kb_editor_gets(kb_editor *e, int *interrupted);

int kb_history_add(kb_editor *e, const char *utf8);
int kb_history_load(kb_editor *e, const char *path);
int kb_history_save(kb_editor *e, const char *path);
int kb_history_count(kb_editor *e);
/// Entry `index` (0 = oldest) as malloc'd UTF-8, or NULL.
char *kb_history_entry(kb_editor *e, int index);

#endif
