/* export.h - one assessment as the exports show it, shared by the writers
 * (export_json.c, export_csv.c, export_xlsx.c) and the printable report.
 *
 * The handler (h_exports.c, h_report.c) reads the store and fills struct
 * export_data; the writers only format it: no SQL, no HTTP here. Every figure
 * comes from score_compute/plan_compute over the stored answers with the guide
 * the assessment was started on ("the guide in use" below: d->g), as GET
 * .../scores and .../plan compute them. docs/export-format.md
 * documents what each format holds. */
#ifndef SOMGUIDE_EXPORT_H
#define SOMGUIDE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "db_assessments.h"
#include "guide.h"
#include "plan.h"
#include "score.h"
#include "strbuf.h"

struct app;

/* The version of the JSON document (schema/export.schema.json) and of the CSV and
 * XLSX layouts: raised when a field is removed or changes meaning; fields may be
 * added within a version. */
#define EXPORT_FORMAT_VERSION 1

struct export_data {
	const struct app *app;       /* interface texts, countries (borrowed) */
	const struct guide *g;       /* the guide of a's version (app_guide_or_current) */
	struct assessment a;
	const json_t *country;       /* its countries.json entry (borrowed), NULL when unknown */
	json_t *stored;              /* db_answers_get (owned; answers borrow from it) */
	struct answer *answers;      /* g->n_questions, guide order (owned) */
	struct score sc;
	struct plan plan;
	json_t *comments;            /* db_comments_list, or NULL when not read (owned) */
	json_t *actions;             /* db_actions_list, or NULL when not read (owned) */
};

/* Sets up d for assessment a with its stored answers (stolen), and computes the
 * parsed answers, the scores and the plan. Release with export_data_release. */
void export_data_init(struct export_data *d, const struct app *app, const struct assessment *a, json_t *stored);
void export_data_release(struct export_data *d);

/* How an export reads one stored answer. */
enum export_state {
	EXP_ANSWERED,   /* a value that counts */
	EXP_NA,         /* "na" */
	EXP_DK,         /* "dk": answered with score 0 and a data gap */
	EXP_HIDDEN,     /* a value, but the question is not shown (its show_if is not met): counts as na */
	EXP_NONE,       /* a comment without a value */
	EXP_INVALID,    /* a value the guide in use does not accept, or a question it no longer has */
};

/* "answered", "na", "dk", "hidden", "none", "invalid". */
const char *export_state_name(enum export_state s);

struct export_answer {
	const char *qid;
	const struct guide_question *q; /* NULL: the guide in use has no such question */
	const json_t *value;            /* the stored JSON value (null for none) */
	const char *comment;            /* "" when none */
	enum export_state state;
	bool has_score;                 /* a scored question answered or dk */
	double score;                   /* s_q of SCORING.md */
	char *value_text;               /* machine form (owned): an option id, ids joined by ";", a
	                                   number, the text or date, "na", "dk"; "" for none */
	char *label_text;               /* human form (owned): option labels joined by "; ",
	                                   "Not applicable", "Don't know", else as value_text */
	json_t *labels;                 /* the option labels as a new array, or NULL when the
	                                   question has no options or the value is not an option */
	bool carried_over;
	int carried_from;               /* the round, 0 when not carried over */
	const char *updated_at;         /* ISO 8601 */
};

/* The stored answers of d, in guide order, then those to questions the guide in use
 * does not have (by id). A new array of *n entries (NULL when none); release with
 * export_answers_free. */
struct export_answer *export_answers(const struct export_data *d, size_t *n);
void export_answers_free(struct export_answer *x, size_t n);

/* "2.3": the number of question q as the pages show it. */
void export_question_num(const struct guide *g, const struct guide_question *q, char buf[static 16]);
/* A number the way the exports write it: integers without a fraction, else up to
 * 15 significant digits. */
void export_number(double x, char buf[static 32]);
/* The country fields of d: name (the code when unknown), region and sub-region
 * ("" when unknown). Borrowed. */
const char *export_country_name(const struct export_data *d);
const char *export_country_field(const struct export_data *d, const char *key);

/* ---- the writers --------------------------------------------------------- */

/* export_json.c: the JSON document of schema/export.schema.json. scores and plan
 * are the documents of GET .../scores and .../plan (stolen). A new object. */
json_t *export_json(const struct export_data *d, json_t *scores, json_t *plan, const char *generated_at);

/* export_csv.c: RFC 4180 (comma, CRLF, fields with a comma, quote, CR or LF
 * quoted, quotes doubled), UTF-8. A cell that a spreadsheet would read as a
 * formula - one that starts with = + - @ TAB or CR, their full-width forms
 * (U+FF1D U+FF0B U+FF0D U+FF20), or an apostrophe (so that the rule can be undone)
 * - gets one leading apostrophe, unless the whole cell is a plain number such as
 * -3.5. */
#define EXPORT_CSV_BOM "\xEF\xBB\xBF"
/* Appends one cell (a comma first unless first). */
void export_csv_cell(struct strbuf *sb, const char *s, bool first);
/* The header row and the rows of d in long form (one row per stored answer). */
void export_csv_long_header(struct strbuf *sb);
void export_csv_long_rows(struct strbuf *sb, const struct export_data *d);
/* The columns of the wide form: the seven areas' needs and one column per
 * question id. */
struct export_columns {
	const char *areas[GUIDE_N_AREAS]; /* area ids, in column order */
	const char **questions;           /* question ids (borrowed from the guides; owned array) */
	size_t n_questions;
};
/* With g (one assessment): g's areas and questions in guide order. With g NULL
 * (assessments of any version): the current guide's, then the questions that
 * only archived versions have, each once, in the order of app->guides and of
 * each guide. Release with export_columns_release. */
void export_columns_init(struct export_columns *c, const struct app *app, const struct guide *g);
void export_columns_release(struct export_columns *c);
/* The header row and the row of d in wide form (one row per assessment: the
 * figures, then the machine form of the answer of each question column; empty
 * where d's guide has no such question or nothing is stored). */
void export_csv_wide_header(struct strbuf *sb, const struct export_columns *c);
void export_csv_wide_row(struct strbuf *sb, const struct export_data *d, const struct export_columns *c);

/* export_xlsx.c: the workbook (sheets Summary, Answers, Plan, CJAT) written into a
 * temporary file under tmpdir (created with mkstemp, removed before returning) and
 * read back: a new buffer in *out of *len bytes. 0, or -1 with a reason in err. */
int export_xlsx(const struct export_data *d, const char *tmpdir, const char *generated_at, void **out, size_t *len,
		char *err, size_t errlen);

/* The CJAT tools the plan or the answered questions of d cite, in the guide's
 * cjat_tools order: a new array of {id, cluster, title, recommendations: [rec id],
 * questions: [QID]}. */
json_t *export_cjat(const struct export_data *d);

#endif
