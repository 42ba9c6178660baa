/* test_evidence.c - the allow-list of evidence types (content and extension),
 * safe file names and Content-Disposition (evidence.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence.h"

/* A ZIP local file header for an entry name holding data (stored). */
static size_t zip_entry(unsigned char *out, const char *name, const char *data)
{
	size_t nl = strlen(name), dl = strlen(data);
	memset(out, 0, 30);
	memcpy(out, "PK\x03\x04", 4);
	out[4] = 20;
	out[18] = (unsigned char)dl;
	out[22] = (unsigned char)dl;
	out[26] = (unsigned char)nl;
	memcpy(out + 30, name, nl);
	memcpy(out + 30 + nl, data, dl);
	return 30 + nl + dl;
}

static const char *sniff(const char *name, const void *data, size_t len)
{
	const struct evidence_type *t = evidence_sniff(name, data, len);
	return t ? t->media_type : "refused";
}

static void test_sniff(void **state)
{
	static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
	static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F'};
	static const char exe[] = "MZ\x90\x00\x03";
	unsigned char odt[256], ods[256], docx[256], xlsx[256];
	size_t odt_n = zip_entry(odt, "mimetype", "application/vnd.oasis.opendocument.text");
	size_t ods_n = zip_entry(ods, "mimetype", "application/vnd.oasis.opendocument.spreadsheet");
	size_t docx_n = zip_entry(docx, "[Content_Types].xml", "<Types/>");
	docx_n += zip_entry(docx + docx_n, "word/document.xml", "<w:document/>");
	size_t xlsx_n = zip_entry(xlsx, "[Content_Types].xml", "<Types/>");
	xlsx_n += zip_entry(xlsx + xlsx_n, "xl/workbook.xml", "<workbook/>");

	assert_string_equal(sniff("a.pdf", pdf, sizeof(pdf) - 1), "application/pdf");
	assert_string_equal(sniff("A.PDF", pdf, sizeof(pdf) - 1), "application/pdf");
	assert_string_equal(sniff("a.png", png, sizeof(png)), "image/png");
	assert_string_equal(sniff("a.jpg", jpeg, sizeof(jpeg)), "image/jpeg");
	assert_string_equal(sniff("a.jpeg", jpeg, sizeof(jpeg)), "image/jpeg");
	assert_string_equal(sniff("a.odt", odt, odt_n), "application/vnd.oasis.opendocument.text");
	assert_string_equal(sniff("a.ods", ods, ods_n), "application/vnd.oasis.opendocument.spreadsheet");
	assert_string_equal(sniff("a.docx", docx, docx_n),
			    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	assert_string_equal(sniff("a.xlsx", xlsx, xlsx_n),
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_string_equal(sniff("a.csv", "a,b\n1,2\n", 8), "text/csv");
	assert_string_equal(sniff("a.txt", "\xef\xbb\xbfNotes \xc3\xa9t\xc3\xa9\r\n", 16), "text/plain");

	/* the extension and the content must agree */
	assert_string_equal(sniff("a.pdf", png, sizeof(png)), "refused");
	assert_string_equal(sniff("a.png", pdf, sizeof(pdf) - 1), "refused");
	assert_string_equal(sniff("a.odt", ods, ods_n), "refused");
	assert_string_equal(sniff("a.ods", odt, odt_n), "refused");
	assert_string_equal(sniff("a.docx", xlsx, xlsx_n), "refused");
	assert_string_equal(sniff("a.xlsx", odt, odt_n), "refused");
	assert_string_equal(sniff("a.docx", pdf, sizeof(pdf) - 1), "refused");
	assert_string_equal(sniff("a.txt", "bin\0ary", 7), "refused");
	assert_string_equal(sniff("a.csv", "caf\xe9,1\n", 7), "refused"); /* Latin-1 */
	assert_string_equal(sniff("a.txt", "", 0), "refused");
	/* not on the list */
	assert_string_equal(sniff("a.exe", exe, sizeof(exe) - 1), "refused");
	assert_string_equal(sniff("a.html", "<html></html>", 13), "refused");
	assert_string_equal(sniff("a.svg", "<svg/>", 6), "refused");
	assert_string_equal(sniff("a.docm", docx, docx_n), "refused");
	assert_string_equal(sniff("pdf", pdf, sizeof(pdf) - 1), "refused");
	assert_string_equal(sniff("a.pdf.exe", exe, sizeof(exe) - 1), "refused");
	assert_string_equal(sniff(NULL, pdf, sizeof(pdf) - 1), "refused");

	/* served back with a charset for text; unknown stored types have no entry */
	assert_string_equal(evidence_type_by_media("text/csv")->serve_type, "text/csv; charset=utf-8");
	assert_string_equal(evidence_type_by_media("application/pdf")->serve_type, "application/pdf");
	assert_null(evidence_type_by_media("text/html"));
	assert_null(evidence_type_by_media(NULL));
}

static void test_sanitize_name(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"report.pdf", "report.pdf"},
		{"C:\\Users\\me\\Law 2010.pdf", "Law 2010.pdf"},
		{"/etc/passwd", "passwd"},
		{"../../../etc/x.pdf", "x.pdf"},
		{"..pdf", "pdf"},
		{".hidden.txt", "hidden.txt"},
		{"trailing.pdf. . ", "trailing.pdf"},
		{"a\"b<c>d:e*f?g|h.pdf", "a_b_c_d_e_f_g_h.pdf"},
		{"line\r\nbreak\t.pdf", "line__break_.pdf"},
		{"Donn\xc3\xa9" "es.csv", "Donn\xc3\xa9" "es.csv"},
		{"bad\xff\xfe.txt", "bad__.txt"},
		{"over\xc0\xaflong.txt", "over__long.txt"},
		{"evil\xe2\x80\xae" "fdp.exe", "evil_fdp.exe"}, /* right-to-left override */
		{"zero\xe2\x80\x8bwidth.pdf", "zero_width.pdf"},
		{"", "file"},
		{NULL, "file"},
		{"...", "file"},
		{"dir/", "file"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[EVIDENCE_NAME_MAX + 1];
		evidence_sanitize_name(cases[i].in, out);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu: \"%s\" -> \"%s\", expected \"%s\"", i, cases[i].in ? cases[i].in : "(null)", out,
				 cases[i].out);
	}

	/* long names keep their extension and whole characters */
	char in[1200], out[EVIDENCE_NAME_MAX + 1];
	size_t n = 0;
	for (int i = 0; i < 300; i++) {
		memcpy(in + n, "\xc3\xa9", 2);
		n += 2;
	}
	memcpy(in + n, ".xlsx", 6);
	evidence_sanitize_name(in, out);
	assert_true(strlen(out) <= EVIDENCE_NAME_MAX);
	assert_string_equal(out + strlen(out) - 5, ".xlsx");
	assert_int_equal((strlen(out) - 5) % 2, 0);
	memset(in, 'a', 1000);
	in[1000] = '\0';
	evidence_sanitize_name(in, out);
	assert_int_equal(strlen(out), EVIDENCE_NAME_MAX);
	memset(in, '.', 1000);
	memcpy(in + 1000, "pdf", 4);
	evidence_sanitize_name(in, out);
	assert_string_equal(out, "pdf");
}

static void test_disposition(void **state)
{
	char *d = evidence_disposition("report 2025.pdf");
	assert_string_equal(d, "attachment; filename=\"report 2025.pdf\"; filename*=UTF-8''report%202025.pdf");
	free(d);
	d = evidence_disposition("Donn\xc3\xa9" "es (v2);100%.csv");
	assert_string_equal(d, "attachment; filename=\"Donn_es (v2);100%.csv\"; "
			       "filename*=UTF-8''Donn%C3%A9es%20%28v2%29%3B100%25.csv");
	free(d);
	d = evidence_disposition("\xe6\xb3\x95\xe5\xbe\x8b.pdf");
	assert_string_equal(d, "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%B3%95%E5%BE%8B.pdf");
	free(d);
}

static void test_size_text(void **state)
{
	char b[32];
	evidence_size_text(512, b, sizeof(b));
	assert_string_equal(b, "512 bytes");
	evidence_size_text(1500, b, sizeof(b));
	assert_string_equal(b, "2 KB");
	evidence_size_text(10 * 1024 * 1024, b, sizeof(b));
	assert_string_equal(b, "10 MB");
	evidence_size_text(3 * 1024 * 1024 + 400 * 1024, b, sizeof(b));
	assert_string_equal(b, "3.4 MB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_sanitize_name),
		cmocka_unit_test(test_disposition),
		cmocka_unit_test(test_size_text),
	};
	return cmocka_run_group_tests_name("evidence", tests, NULL, NULL);
}
