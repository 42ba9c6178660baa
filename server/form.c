/* form.c - posted form fields to answer values (see form.h). */
#include "form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Builds the JSON value of question q from the posted form. Returns 0 with *out
 * set (a new reference, or NULL for "no answer"), or -1 with a message in err. */
int form_answer_value(const struct form_field *fields, size_t n_fields, const struct guide_question *q, json_t **out,
		      const char **raw, char *err, size_t errlen)
{
	char name[128];
	snprintf(name, sizeof(name), "q.%s", q->id);
	*out = NULL;
	*raw = NULL;
	if (q->type == Q_MULTI) {
		json_t *arr = json_array();
		const char *reserved = NULL;
		for (size_t i = 0; i < n_fields; i++) {
			const struct form_field *f = &fields[i];
			if (strcmp(f->name, name) != 0 || !f->value[0])
				continue;
			if (strcmp(f->value, "na") == 0 || strcmp(f->value, "dk") == 0)
				reserved = f->value;
			else
				json_array_append_new(arr, json_string(f->value));
		}
		if (reserved && json_array_size(arr)) {
			json_decref(arr);
			snprintf(err, errlen, "\u201cNot applicable\u201d and \u201cDon't know\u201d cannot be combined "
					      "with other options.");
			return -1;
		}
		if (reserved) {
			json_decref(arr);
			*out = json_string(reserved);
		} else if (json_array_size(arr)) {
			*out = arr;
		} else {
			json_decref(arr);
		}
		return 0;
	}
	const char *v = NULL;
	for (size_t i = 0; i < n_fields && !v; i++)
		if (strcmp(fields[i].name, name) == 0)
			v = fields[i].value;
	if (!v)
		return 0;
	while (*v == ' ' || *v == '\t')
		v++;
	*raw = v;
	if (!*v)
		return 0;
	if (q->type == Q_NUMBER) {
		char *end;
		double d = strtod(v, &end);
		while (*end == ' ' || *end == '\t')
			end++;
		if (end == v || *end || !isfinite(d)) {
			snprintf(err, errlen, "Enter a number, such as 120 or 3.5.");
			return -1;
		}
		if (d == floor(d) && fabs(d) < 9e15)
			*out = json_integer((json_int_t)d);
		else
			*out = json_real(d);
		return 0;
	}
	if (!util_utf8_valid(v, strlen(v))) {
		snprintf(err, errlen, "The text contains characters that are not allowed.");
		return -1;
	}
	*out = json_string(v);
	return 0;
}

