// Rows of text printed in aligned columns under an upper-case header, as `ctr ... ls` does.
#ifndef TENON_CTR_TABLE_HPP
#define TENON_CTR_TABLE_HPP

#include <cstdio>
#include <string>
#include <vector>

namespace tenon::ctr {

class Table {
 public:
  explicit Table(std::vector<std::string> header);

  // Adds one row; missing cells print empty, extra ones are an error.
  void add(std::vector<std::string> row);

  // Prints the header and the rows; the last column is not padded.
  void print(std::FILE* out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace tenon::ctr

#endif  // TENON_CTR_TABLE_HPP
