#include <mollifem/base/exceptions.h>
#include <mollifem/base/files.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace mollifem
{
  void
  write_file_atomically(const std::string &                        filename,
                        const std::function<void(std::ostream &)> &writer)
  {
    // The process id keeps concurrent writers (several MPI ranks writing
    // their own files into one directory) from sharing a temporary name.
    const std::string temporary =
      filename + ".tmp." + std::to_string(static_cast<long>(::getpid()));
    try
      {
        {
          std::ofstream out(temporary);
          AssertThrow(out.good(),
                      ExcFile(filename, 0, "cannot be opened for writing."));
          out.precision(17);
          writer(out);
          out.flush();
          AssertThrow(out.good(),
                      ExcFile(filename, 0, "writing failed (disk full?)."));
        }
        std::filesystem::rename(temporary, filename);
      }
    catch (...)
      {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw;
      }
  }



  void
  create_directory(const std::string &directory)
  {
    if (directory.empty())
      return;
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    AssertThrow(!error && std::filesystem::is_directory(directory),
                ExcFile(directory,
                             0,
                             "the output directory cannot be created (" +
                               error.message() + ")."));
  }



  std::string
  join_path(const std::string &directory, const std::string &name)
  {
    if (directory.empty())
      return name;
    return (std::filesystem::path(directory) / name).string();
  }
} // namespace mollifem
