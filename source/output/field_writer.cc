#include <deal.II/base/data_out_base.h>

#include <mollifem/base/files.h>
#include <mollifem/output/field_writer.h>

#include <fstream>

namespace mollifem
{
  namespace
  {
    void
    write_pvd(const std::string &                                filename,
              const std::vector<std::pair<double, std::string>> &records)
    {
      write_file_atomically(filename, [&](std::ostream &out) {
        DataOutBase::write_pvd_record(out, records);
      });
    }
  } // namespace



  template <int dim>
  FieldWriter<dim>::FieldWriter(const std::string &directory,
                                const std::string &basename,
                                const MPI_Comm     communicator)
    : directory(directory)
    , basename(basename)
    , communicator(communicator)
  {}



  template <int dim>
  void
  FieldWriter<dim>::write(const DataOut<dim> &data_out, const double time)
  {
    const std::string record = data_out.write_vtu_with_pvtu_record(
      join_path(directory, ""), basename, records.size(), communicator, 4);
    records.emplace_back(time, record);
    if (Utilities::MPI::this_mpi_process(communicator) == 0)
      write_pvd(join_path(directory, pvd_name()), records);
  }



  template <int dim>
  std::string
  FieldWriter<dim>::pvd_name() const
  {
    return basename + ".pvd";
  }



  template <int dim>
  const std::vector<std::pair<double, std::string>> &
  FieldWriter<dim>::written() const
  {
    return records;
  }



  template <int dim>
  void
  FieldWriter<dim>::continue_after(
    const std::vector<std::pair<double, std::string>> &records)
  {
    this->records = records;
  }



  template <int dim>
  std::string
  write_observation_points(const Observations<dim> &observations,
                           const std::string &      directory,
                           const std::string &      basename,
                           const MPI_Comm           communicator)
  {
    const std::string pvd = basename + ".pvd";
    if (Utilities::MPI::this_mpi_process(communicator) != 0)
      return pvd;

    std::vector<std::pair<double, std::string>> records;
    for (unsigned int s = 0; s < observations.n_snapshots(); ++s)
      {
        std::vector<DataOutBase::Patch<0, dim>> patches(observations.n_points());
        for (unsigned int j = 0; j < observations.n_points(); ++j)
          {
            patches[j].vertices[0] = observations.points[j];
            patches[j].patch_index = j;
            patches[j].data.reinit(1, 1);
            patches[j].data(0, 0) = observations.values[s][j];
          }
        const std::string name =
          basename + "-" + Utilities::int_to_string(s, 4) + ".vtu";
        write_file_atomically(join_path(directory, name),
                              [&](std::ostream &out) {
                                DataOutBase::write_vtu(
                                  patches,
                                  {observations.field_name},
                                  {},
                                  DataOutBase::VtkFlags(),
                                  out);
                              });
        records.emplace_back(observations.is_transient() ?
                               observations.times[s] :
                               0.,
                             name);
      }
    write_pvd(join_path(directory, pvd), records);
    return pvd;
  }



  template class FieldWriter<1>;
  template class FieldWriter<2>;
  template class FieldWriter<3>;
  template std::string
  write_observation_points(const Observations<1> &,
                           const std::string &,
                           const std::string &,
                           const MPI_Comm);
  template std::string
  write_observation_points(const Observations<2> &,
                           const std::string &,
                           const std::string &,
                           const MPI_Comm);
  template std::string
  write_observation_points(const Observations<3> &,
                           const std::string &,
                           const std::string &,
                           const MPI_Comm);
} // namespace mollifem
