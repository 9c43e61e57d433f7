#ifndef mollifem_output_field_writer_h
#define mollifem_output_field_writer_h

#include <deal.II/base/mpi.h>

#include <deal.II/numerics/data_out.h>

#include <mollifem/data/observations.h>

#include <string>
#include <utility>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * Writes a series of fields for ParaView: one VTU file per rank and
   * output (with a PVTU record that joins them) and a PVD file that lists
   * the records with their times, rewritten after every output so that a
   * run that stops early still leaves a readable series.
   */
  template <int dim>
  class FieldWriter
  {
  public:
    FieldWriter(const std::string &directory,
                const std::string &basename,
                const MPI_Comm     communicator);

    /// Write @p data_out (after build_patches()) as the record for @p time.
    void
    write(const DataOut<dim> &data_out, const double time);

    /// The PVD file, relative to the output directory.
    std::string
    pvd_name() const;

    /// The records written so far: (time, PVTU file).
    const std::vector<std::pair<double, std::string>> &
    written() const;

    /// Continue a series that has @p records already (a resumed run): the
    /// next record follows them.
    void
    continue_after(const std::vector<std::pair<double, std::string>> &records);

  private:
    const std::string                         directory;
    const std::string                         basename;
    const MPI_Comm                            communicator;
    std::vector<std::pair<double, std::string>> records;
  };

  /**
   * Write observations as a point cloud for ParaView: a VTU file per
   * snapshot (vertices with the observed value) and a PVD file listing them.
   * Only rank 0 writes (every rank holds all observations).
   *
   * @return The PVD file name, relative to @p directory.
   */
  template <int dim>
  std::string
  write_observation_points(const Observations<dim> &observations,
                           const std::string &      directory,
                           const std::string &      basename,
                           const MPI_Comm           communicator);
} // namespace mollifem

#endif
