// libxml2 pulls the system ICU headers in through encoding.h when it was built with ICU; Swift's
// Foundation carries its own ICU module, and the two definitions of UErrorCode clash. Ferry never
// touches libxml2's ICU converter fields, so the headers are read without them.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
