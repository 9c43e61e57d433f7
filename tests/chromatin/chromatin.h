#ifndef mollifem_tests_chromatin_chromatin_h
#define mollifem_tests_chromatin_chromatin_h

// Set-up shared by the chromatin tests.

#include <mollifem/mesh/mesh.h>
#include <mollifem/models/chromatin.h>

#include <string>

namespace mollifem
{
  namespace testing
  {
    /// The chromatin model in 2D with the entries @p settings ("set ... =
    /// ...\n" lines) of subsection Model/Chromatin.
    inline ChromatinModel<2>
    chromatin_model(const std::string &settings)
    {
      dealii::ParameterHandler prm;
      ChromatinModel<2>::declare_parameters(prm);
      prm.parse_input_from_string("subsection Model\n  subsection Chromatin\n" +
                                  settings + "  end\nend\n");
      return ChromatinModel<2>(prm);
    }

    /// The unit square refined @p refinement times, on MPI_COMM_WORLD.
    inline auto
    unit_square(const unsigned int refinement)
    {
      MeshParameters mesh;
      mesh.initial_global_refinement = refinement;
      auto triangulation             = make_triangulation<2>(MPI_COMM_WORLD);
      create_mesh(mesh, *triangulation);
      return triangulation;
    }
  } // namespace testing
} // namespace mollifem

#endif
