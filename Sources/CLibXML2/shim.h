// Debian's libxml2 headers pull in the system ICU, whose UErrorCode clashes with the copy
// Foundation carries; the reader API needs no ICU, so it is switched off before the headers.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/tree.h>
