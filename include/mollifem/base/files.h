#ifndef mollifem_base_files_h
#define mollifem_base_files_h

#include <functional>
#include <ostream>
#include <string>

namespace mollifem
{
  /**
   * Write @p filename so that it appears complete or not at all: @p writer
   * fills a temporary file beside it, which is renamed into place only when
   * the writer returns and the stream is still good. If the writer throws,
   * the temporary file is removed and the exception passes on.
   */
  void
  write_file_atomically(const std::string &                        filename,
                        const std::function<void(std::ostream &)> &writer);

  /**
   * Create @p directory (and its parents) if it does not exist. Raises
   * ExcFile if it cannot be created or is not a directory.
   */
  void
  create_directory(const std::string &directory);

  /**
   * @p directory + "/" + @p name, without doubled separators.
   */
  std::string
  join_path(const std::string &directory, const std::string &name);
} // namespace mollifem

#endif
