#ifndef mollifem_base_run_summary_h
#define mollifem_base_run_summary_h

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/timer.h>

#include <boost/property_tree/ptree.hpp>

#include <string>

namespace mollifem
{
  using namespace dealii;

  /// Peak resident memory (VmHWM) of this process in MiB.
  double
  peak_memory_mib();

  /// Current resident memory (VmRSS) of this process in MiB.
  double
  resident_memory_mib();

  /**
   * The machine-readable record of a run, written as JSON: the parameters
   * used, sizes, results, and per stage the wall time and peak memory.
   * Entries are addressed by paths with '/' separators, e.g.
   * "mesh/active cells".
   *
   * Memory is reported twice: the peak resident set size (what the
   * operating system charges), and the peak above the resident size at
   * construction, which removes the ~150 MiB that mapping the shared
   * deal.II/Trilinos/MPI libraries costs before any work is done.
   */
  class RunSummary
  {
  public:
    explicit RunSummary(const MPI_Comm communicator);

    /// Record a number, string or boolean at @p path.
    template <typename T>
    void
    set(const std::string &path, const T &value);

    /// Record all parameters of @p prm under "parameters".
    void
    set_parameters(const ParameterHandler &prm);

    /**
     * Record the wall time since the previous call (or construction) and
     * the peak memory so far, maximum over ranks, under "stages/<name>".
     * Collective.
     */
    void
    end_stage(const std::string &name);

    /// Wall time since construction, seconds.
    double
    wall_time() const;

    /**
     * The entries under @p path as one line of JSON ("" if there are
     * none), to carry them into another run (a checkpoint).
     */
    std::string
    section(const std::string &path) const;

    /// Set the entries under @p path from section()'s text ("": none).
    void
    set_section(const std::string &path, const std::string &json);

    /// Write the summary (rank 0, atomically). Collective for the totals.
    void
    write(const std::string &filename);

  private:
    const MPI_Comm              communicator;
    Timer                       total_timer;
    double                      stage_start;
    double                      startup_memory;
    boost::property_tree::ptree tree;
  };



  template <typename T>
  void
  RunSummary::set(const std::string &path, const T &value)
  {
    tree.put(boost::property_tree::ptree::path_type(path, '/'), value);
  }
} // namespace mollifem

#endif
