/* demo.h - `somguide demo`: a new database holding the demo data set (seed.h with
 * its demo options) and accounts to explore it with. */
#ifndef SOMGUIDE_DEMO_H
#define SOMGUIDE_DEMO_H

/* Parses argv (argv[0] is "demo"), writes the demo database, prints the accounts.
 * Returns the exit status. */
int demo_main(int argc, char **argv);

#endif
