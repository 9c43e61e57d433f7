#include <mollifem/base/exceptions.h>
#include <mollifem/data/observation_io.h>

namespace mollifem
{
  namespace ObservationIO
  {
    bool
    has_extension(const std::string &filename, const std::string &extension)
    {
      return filename.size() >= extension.size() &&
             filename.compare(filename.size() - extension.size(),
                              extension.size(),
                              extension) == 0;
    }



    template <int dim>
    Observations<dim>
    read(const std::string &filename)
    {
      if (has_extension(filename, ".csv"))
        return read_csv<dim>(filename);
      if (has_extension(filename, ".vtk"))
        return read_vtk<dim>(filename);
      AssertThrow(false,
                  ExcFile(filename,
                          0,
                          "unknown observation file format: the name must "
                          "end in .csv or .vtk."));
      return {};
    }



    template <int dim>
    void
    write(const Observations<dim> &observations, const std::string &filename)
    {
      if (has_extension(filename, ".csv"))
        write_csv(observations, filename);
      else if (has_extension(filename, ".vtk"))
        write_vtk(observations, filename);
      else
        AssertThrow(false,
                    ExcFile(filename,
                            0,
                            "unknown observation file format: the name must "
                            "end in .csv or .vtk."));
    }



    template <int dim>
    Observations<dim>
    read_points(const std::string &filename)
    {
      AssertThrow(has_extension(filename, ".csv"),
                  ExcFile(filename,
                          0,
                          "a points file must be a .csv file with a header "
                          "naming the coordinate columns."));
      return read_csv<dim>(filename, /*values_required=*/false);
    }



#define MOLLIFEM_INSTANTIATE(dim)                                        \
  template Observations<dim> read<dim>(const std::string &);             \
  template void              write<dim>(const Observations<dim> &,       \
                                       const std::string &);             \
  template Observations<dim> read_points<dim>(const std::string &);

    MOLLIFEM_INSTANTIATE(1)
    MOLLIFEM_INSTANTIATE(2)
    MOLLIFEM_INSTANTIATE(3)
#undef MOLLIFEM_INSTANTIATE
  } // namespace ObservationIO
} // namespace mollifem
