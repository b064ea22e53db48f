#ifndef FWC_VERSION_H
#define FWC_VERSION_H

#define FWC_VERSION "0.1.0"

#endif
