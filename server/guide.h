/* guide.h - the Assessment Guide as data: loading, validation, lookups, answers.
 *
 * The guide file format is documented in docs/guide-format.md. A loaded guide is
 * immutable and shared by every thread. All strings and json_t pointers in these
 * structs are borrowed from guide->root and live as long as the guide. */
#ifndef SOMGUIDE_GUIDE_H
#define SOMGUIDE_GUIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define GUIDE_N_AREAS 7
#define GUIDE_MAX_OPTIONS 64 /* multi answers are kept as a 64-bit mask */
#define GUIDE_MAX_FILE (16u * 1024 * 1024) /* guide_load_file refuses larger files */
#define GUIDE_MAX_PROBLEMS 1000 /* validation stops collecting after this many */
#define GUIDE_TEXT_MAX_LENGTH_DEFAULT 5000
/* The version: ^[0-9A-Za-z][0-9A-Za-z._+-]*$, at most this many bytes (it is kept
 * with every assessment, struct assessment.guide_version). */
#define GUIDE_VERSION_MAX 31

/* The seven intervention areas, in their fixed canonical order (PRODUCT.md). */
extern const char *const guide_area_ids[GUIDE_N_AREAS];

enum qtype { Q_CHOICE, Q_MULTI, Q_SCALE, Q_NUMBER, Q_TEXT, Q_DATE };

/* "choice", "multi", ... */
const char *guide_qtype_name(enum qtype t);

struct guide_option {
	const char *id;
	double score;            /* capacity in [0,1] */
	const char **recommend;  /* recommendation ids (array owned by the guide) */
	size_t n_recommend;
	json_t *label;           /* {"en": "..."} */
};

struct guide_question {
	const char *id;
	size_t index;            /* position in guide order (0..n_questions-1) */
	int area;                /* index into guide->areas */
	enum qtype type;
	int weight;              /* 1..3 */
	bool critical;
	bool allow_na;
	bool scored;             /* choice, multi or scale */
	struct guide_option *options;
	size_t n_options;
	/* show_if: -1 when absent; else index of an earlier question whose answer
	 * must be one of the options in show_if_in (a mask of its option indexes). */
	long show_if_q;
	uint64_t show_if_mask;
	/* number bounds */
	bool has_min, has_max, integer;
	double min, max;
	size_t max_length;       /* text: maximum length in bytes */
	json_t *json;            /* the question's object in the file */
};

struct guide_area {
	const char *id;
	size_t first_q;          /* index of its first question */
	size_t n_q;
	json_t *json;
};

struct guide_rec {
	const char *id;
	int area;                /* index into guide->areas */
	json_t *json;            /* title, description, resources, cjat */
};

/* An entry of the CJAT tool list (cjat_tools). */
struct guide_cjat {
	const char *id;          /* e.g. "cross-cutting/international-cooperation" */
	const char *cluster;
	json_t *json;            /* title */
};

struct guide {
	json_t *root;            /* owned */
	const char *version;
	struct guide_area areas[GUIDE_N_AREAS];   /* in file order (must be the 7 ids) */
	struct guide_question *questions;         /* guide order: area by area */
	size_t n_questions;
	struct guide_rec *recs;
	size_t n_recs;
	struct guide_cjat *cjat;
	size_t n_cjat;
	/* private lookup indexes, sorted by id */
	size_t *q_by_id, *rec_by_id, *cjat_by_id;
};

/* One problem found by validation: a JSON path like $.areas[2].questions[4].weight
 * and a message. */
struct guide_problem {
	char path[160];
	char message[200];
};

struct guide_problems {
	struct guide_problem *items;
	size_t n, alloc;
};

void guide_problems_free(struct guide_problems *p);

/* Parses and validates a guide held in memory / in a file. Returns a new guide
 * (caller frees with guide_free) or NULL; on NULL every problem found is appended
 * to *problems (a parse error is one problem with path "$" plus line:column).
 * problems may be NULL; start it zeroed ({0}) and release it with guide_problems_free.
 * Problems come in file order (at most GUIDE_MAX_PROBLEMS; then one last problem says
 * that more were omitted). A read error of guide_load_file is one problem with path "$".
 *
 * Decisions beyond docs/guide-format.md:
 * - every top-level key (version, title, changelog, cjat_tools, areas,
 *   recommendations) is required; cjat_tools and recommendations may be empty;
 * - the version is at most GUIDE_VERSION_MAX letters, digits, dots, dashes,
 *   underscores and plus signs, starting with a letter or digit;
 * - CJAT tool ids may contain '/' (as in "cross-cutting/international-cooperation"):
 *   ^[a-z0-9][a-z0-9._/-]{0,63}$; other ids follow ^[a-z0-9][a-z0-9._-]{0,63}$;
 * - i18n maps: keys are language codes (ll, lll, ll-XX...), values strings, "en"
 *   required and non-empty (guidance of an unscored question may be empty);
 * - a JSON object with a duplicate key is a parse error;
 * - duplicate CJAT tool ids, duplicate ids inside recommend, show_if.in, cjat and
 *   refs.protocol are errors. */
struct guide *guide_load_buffer(const char *buf, size_t len, struct guide_problems *problems);
struct guide *guide_load_file(const char *path, struct guide_problems *problems);
void guide_free(struct guide *g);

/* Lookups; NULL / -1 when unknown. */
const struct guide_question *guide_question(const struct guide *g, const char *id);
const struct guide_rec *guide_rec(const struct guide *g, const char *id);
int guide_area_index(const struct guide *g, const char *id);
long guide_option_index(const struct guide_question *q, const char *id);
/* The text in lang, falling back to "en"; "" when absent. i18n is a {"en": ...} map. */
const char *guide_text(const json_t *i18n, const char *lang);

/* An answer to one question, as the scoring model sees it. */
enum answer_kind { ANS_NONE = 0, ANS_NA, ANS_DK, ANS_VALUE };

struct answer {
	enum answer_kind kind;
	uint64_t mask;           /* choice/scale: exactly one bit; multi: the selected options */
	double number;           /* number */
	const char *text;        /* text / date: borrowed from the json value parsed */
};

/* Checks a JSON answer value for question q (CONTRACT.md "Answer values") and fills
 * *out. Returns 0, or -1 with a human-readable reason in err (out is then zeroed).
 * Text and date answers borrow from value.
 *
 * - choice, scale: an option id (string); multi: a non-empty array of distinct option
 *   ids; number: a JSON number within min/max, whole when `integer`; text: a non-empty
 *   valid UTF-8 string (no control characters but tab, CR, LF) of at most max_length
 *   bytes; date: "YYYY-MM-DD", a real calendar date (years 1800..2200).
 * - The strings "na" and "dk" are reserved for EVERY question type, not only the scored
 *   ones: "dk" (don't know) is always accepted; "na" (not applicable) is accepted
 *   unless the question has "allow_na": false. So a text answer that is exactly "na"
 *   or "dk" means that reserved answer, and "na"/"dk" inside a multi array is an error.
 * - JSON null gives kind ANS_NONE and returns 0: it means "no answer" (clear it). */
int guide_parse_answer(const struct guide_question *q, const json_t *value, struct answer *out,
		       char *err, size_t errlen);

/* The JSON value of an answer as guide_parse_answer accepts it (new reference):
 * null for ANS_NONE, "na", "dk", an option id, an array of option ids, a number or a
 * string. */
json_t *guide_answer_json(const struct guide_question *q, const struct answer *a);

/* true when question q is shown given the answers (array of g->n_questions, or NULL
 * for "nothing answered"). A question with show_if is shown only when its controlling
 * question is itself shown and answered with a value (not na/dk) whose option, or for
 * multi any of whose selected options, is in show_if.in. */
bool guide_question_visible(const struct guide *g, const struct guide_question *q,
			    const struct answer *answers);

/* The CJAT tool with that id, or NULL. */
const struct guide_cjat *guide_cjat(const struct guide *g, const char *id);

#endif
