/* form.h - turning posted form fields into answer values.
 *
 * The area form names each question's input "q.<question id>" (several fields of
 * that name for a multi question) and its comment "c.<question id>". This module
 * maps those fields to the JSON answer value the API would take, so that the form
 * and the API share one validator (guide_parse_answer). */
#ifndef SOMGUIDE_FORM_H
#define SOMGUIDE_FORM_H

#include <stddef.h>

#include <jansson.h>

#include "guide.h"
#include "http.h"

/* Builds the JSON answer value of question q from the posted fields. Returns 0 with
 * *out set (a new reference, or NULL for "no answer") and *raw pointing at the text
 * as typed (number, text and date inputs; NULL otherwise), or -1 with a message for
 * the user in err. The value still has to pass guide_parse_answer. */
int form_answer_value(const struct form_field *fields, size_t n_fields, const struct guide_question *q,
		      json_t **out, const char **raw, char *err, size_t errlen);

#endif
