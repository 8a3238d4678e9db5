// Image names as the daemon records them: a pull or import names an image by
// its normalised reference ("busybox" is docker.io/library/busybox:latest),
// so ctr normalises what users type the same way before looking one up.
#ifndef TENON_CTR_IMAGE_REFERENCE_HPP
#define TENON_CTR_IMAGE_REFERENCE_HPP

#include <string>

namespace tenon::ctr {

// The normalised reference, or `name` as it is when it is not a reference
// (an image recorded under another kind of name).
std::string imageName(const std::string& name);

}  // namespace tenon::ctr

#endif  // TENON_CTR_IMAGE_REFERENCE_HPP
